import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouteHarness } from '../../test/support/route-harness.js';
import { FastifyRouteInstrumentation } from './fastify-route-instrumentation.js';
import { setRoute } from './request-route.js';

const require = createRequire(import.meta.url);
type FastifyFactory = typeof import('fastify').default;

let harness: ReturnType<typeof startRouteHarness>;
let instrumentation: FastifyRouteInstrumentation;
beforeAll(() => {
  harness = startRouteHarness();
  instrumentation = new FastifyRouteInstrumentation(); // subscribes on construction, as when the SDK starts
});
afterAll(() => {
  instrumentation.disable();
  harness.close();
});

describe.each([
  ['Fastify 5', 'fastify'],
  ['Fastify 4', 'fastify4'],
])('FastifyRouteInstrumentation with %s', (_label, moduleName) => {
  let app: ReturnType<FastifyFactory>;
  let base: string;

  beforeAll(async () => {
    const fastify = require(moduleName) as FastifyFactory;
    app = fastify();
    app.get('/users/:id', async () => ({ ok: true }));
    app.post('/users', { schema: { body: { type: 'object', required: ['name'] } } }, async () => ({ ok: true }));
    app.get('/boom', async () => {
      throw new Error('handler failed');
    });
    app.get('/legacy/*', async (request) => {
      setRoute(request.raw, '/legacy/{rest}'); // the app's own choice wins over the framework's
      return 'ok';
    });
    await app.register(
      async (v1) => {
        v1.get('/items/:itemId', async () => ({ ok: true }));
        await v1.register(async (admin) => void admin.get('/stats', async () => ({})), { prefix: '/admin' });
      },
      { prefix: '/api/v1' },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  afterAll(() => app.close());

  it('reports parameterised routes and plugin prefixes as templates, in span name, attribute and metric', async () => {
    expect(await harness.request(base, '/users/42')).toEqual({
      name: 'GET /users/:id',
      route: '/users/:id',
      status: 200,
      error: false,
      metricRoute: '/users/:id',
    });
    expect(await harness.request(base, '/api/v1/items/7')).toMatchObject({ name: 'GET /api/v1/items/:itemId', metricRoute: '/api/v1/items/:itemId' });
    expect(await harness.request(base, '/api/v1/admin/stats')).toMatchObject({ metricRoute: '/api/v1/admin/stats' });
  });

  it('keeps the route for requests rejected before the handler (schema validation 400)', async () => {
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };
    expect(await harness.request(base, '/users', init)).toMatchObject({ name: 'POST /users', status: 400, error: false, metricRoute: '/users' });
  });

  it('records 404s as unmatched, and a thrown error as a 5xx error with its route', async () => {
    expect(await harness.request(base, '/nowhere/1')).toEqual({ name: 'GET', route: undefined, status: 404, error: false, metricRoute: 'unmatched' });
    expect(await harness.request(base, '/boom')).toEqual({ name: 'GET /boom', route: '/boom', status: 500, error: true, metricRoute: '/boom' });
  });

  it("lets the app's setRoute() override the framework's template", async () => {
    expect(await harness.request(base, '/legacy/a/b')).toMatchObject({ name: 'GET /legacy/{rest}', metricRoute: '/legacy/{rest}' });
  });
});
