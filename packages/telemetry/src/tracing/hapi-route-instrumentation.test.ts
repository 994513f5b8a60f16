import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouteHarness } from '../../test/support/route-harness.js';
import { hapiPathToRoute, HapiRouteInstrumentation } from './hapi-route-instrumentation.js';

const require = createRequire(import.meta.url);
type Hapi = typeof import('@hapi/hapi');

describe('HapiRouteInstrumentation with Hapi 21', () => {
  let harness: ReturnType<typeof startRouteHarness>;
  let instrumentation: HapiRouteInstrumentation;
  let server: import('@hapi/hapi').Server;
  let base: string;

  beforeAll(async () => {
    harness = startRouteHarness();
    instrumentation = new HapiRouteInstrumentation();
    const Hapi = require('@hapi/hapi') as Hapi;
    // The patch RITM/IITM applies when the app loads @hapi/hapi.
    instrumentation.getModuleDefinitions()[0]!.patch!(Hapi);
    server = Hapi.server({ port: 0, host: '127.0.0.1', debug: false });
    server.route({ method: 'GET', path: '/orders/{id}', handler: () => ({ ok: true }) });
    server.route({ method: 'GET', path: '/files/{path*}', handler: () => 'file' });
    server.route({
      method: 'GET',
      path: '/boom',
      handler: () => {
        throw new Error('handler failed');
      },
    });
    const v1 = { name: 'v1', register: (s: typeof server) => void s.route({ method: 'GET', path: '/items/{itemId}', handler: () => ({}) }) };
    await server.register(v1, { routes: { prefix: '/api/v1' } });
    await server.start();
    base = server.info.uri;
  });
  afterAll(async () => {
    await server.stop();
    instrumentation.disable();
    harness.close();
  });

  it('reports routes in :param syntax (the manifest and Express syntax), plugin prefixes included', async () => {
    expect(await harness.request(base, '/orders/42')).toEqual({
      name: 'GET /orders/:id',
      route: '/orders/:id',
      status: 200,
      error: false,
      metricRoute: '/orders/:id',
    });
    expect(await harness.request(base, '/api/v1/items/7')).toMatchObject({ metricRoute: '/api/v1/items/:itemId' });
    expect(await harness.request(base, '/files/a/b/c.txt')).toMatchObject({ metricRoute: '/files/*path' });
  });

  it("records Hapi's not-found route as unmatched, and a thrown error as a 5xx error with its route", async () => {
    expect(await harness.request(base, '/nowhere')).toEqual({ name: 'GET', route: undefined, status: 404, error: false, metricRoute: 'unmatched' });
    expect(await harness.request(base, '/boom')).toEqual({ name: 'GET /boom', route: '/boom', status: 500, error: true, metricRoute: '/boom' });
  });

  it('converts every Hapi parameter form', () => {
    expect(hapiPathToRoute('/a/{id}/b/{name?}')).toBe('/a/:id/b/:name?');
    expect(hapiPathToRoute('/f/{path*}')).toBe('/f/*path');
    expect(hapiPathToRoute('/f/{two*2}')).toBe('/f/*two');
    expect(hapiPathToRoute('/file.{ext}')).toBe('/file.:ext');
    expect(hapiPathToRoute('/plain')).toBe('/plain');
  });
});
