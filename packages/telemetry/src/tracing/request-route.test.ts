import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenLocal, startRouteHarness } from '../../test/support/route-harness.js';
import { setRoute } from './request-route.js';

describe('setRoute on a plain node:http server', () => {
  let harness: ReturnType<typeof startRouteHarness>;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    harness = startRouteHarness();
    server = http.createServer((req, res) => {
      const url = req.url ?? '/';
      if (/^\/users\/\d+$/.test(url)) {
        setRoute(req, '/users/:id');
        res.end('user');
      } else if (url === '/fail') {
        setRoute(req, '/fail');
        res.statusCode = 503;
        res.end();
      } else if (url.startsWith('/later/')) {
        setRoute(req, '/later/:first');
        setRoute(req, '/later/:second'); // the last call wins
        setRoute(req, '' as string); // ignored, as is anything that is not a non-empty string
        setRoute(req, 42 as unknown as string);
        res.end();
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    base = await listenLocal(server);
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    harness.close();
  });

  it('names the span and labels the metric with the template the app set', async () => {
    expect(await harness.request(base, '/users/42')).toEqual({
      name: 'GET /users/:id',
      route: '/users/:id',
      status: 200,
      error: false,
      metricRoute: '/users/:id',
    });
    expect(await harness.request(base, '/fail')).toMatchObject({ name: 'GET /fail', status: 503, error: true, metricRoute: '/fail' });
  });

  it('keeps the last valid call, and records requests without one as unmatched', async () => {
    expect(await harness.request(base, '/later/x')).toMatchObject({ metricRoute: '/later/:second' });
    expect(await harness.request(base, '/other')).toEqual({ name: 'GET', route: undefined, status: 404, error: false, metricRoute: 'unmatched' });
  });
});
