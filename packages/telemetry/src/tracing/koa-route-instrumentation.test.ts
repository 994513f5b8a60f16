import http from 'node:http';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenLocal, startRouteHarness } from '../../test/support/route-harness.js';
import { KoaRouteInstrumentation } from './koa-route-instrumentation.js';

const require = createRequire(import.meta.url);
type Koa = typeof import('koa');
type Router = typeof import('@koa/router').default;

describe('KoaRouteInstrumentation with Koa 3 and @koa/router', () => {
  let harness: ReturnType<typeof startRouteHarness>;
  let instrumentation: KoaRouteInstrumentation;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    harness = startRouteHarness();
    instrumentation = new KoaRouteInstrumentation();
    const Koa = require('koa') as Koa;
    // The patch RITM/IITM applies when the app loads koa.
    instrumentation.getModuleDefinitions()[0]!.patch!(Koa);
    const Router = require('@koa/router') as Router;

    const app = new Koa();
    app.silent = true; // the /boom error is expected
    const root = new Router();
    root.get('/users/:id', (ctx) => void (ctx.body = { ok: true }));
    root.get('/boom', () => {
      throw new Error('handler failed');
    });
    const api = new Router({ prefix: '/api/v1' });
    api.get('/orders/:orderId', (ctx) => void (ctx.body = { ok: true }));
    const items = new Router();
    items.get('/items/:itemId', (ctx) => void (ctx.body = { ok: true }));
    api.use('/shops/:shopId', items.routes());
    app.use(root.routes()).use(root.allowedMethods());
    app.use(api.routes());
    server = http.createServer(app.callback());
    base = await listenLocal(server);
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    instrumentation.disable();
    harness.close();
  });

  it('reports parameterised routes, router prefixes and nested routers as templates', async () => {
    expect(await harness.request(base, '/users/42')).toEqual({
      name: 'GET /users/:id',
      route: '/users/:id',
      status: 200,
      error: false,
      metricRoute: '/users/:id',
    });
    expect(await harness.request(base, '/api/v1/orders/7')).toMatchObject({ name: 'GET /api/v1/orders/:orderId', metricRoute: '/api/v1/orders/:orderId' });
    expect(await harness.request(base, '/api/v1/shops/3/items/9')).toMatchObject({ metricRoute: '/api/v1/shops/:shopId/items/:itemId' });
  });

  it('records requests no router matched as unmatched, and a thrown error as a 5xx error with its route', async () => {
    expect(await harness.request(base, '/nowhere')).toEqual({ name: 'GET', route: undefined, status: 404, error: false, metricRoute: 'unmatched' });
    expect(await harness.request(base, '/boom')).toEqual({ name: 'GET /boom', route: '/boom', status: 500, error: true, metricRoute: '/boom' });
  });

  it('records a path matched only for another method (405 from allowedMethods) as unmatched: no route handled it', async () => {
    expect(await harness.request(base, '/users/42', { method: 'DELETE' })).toMatchObject({ status: 405, metricRoute: 'unmatched' });
  });
});
