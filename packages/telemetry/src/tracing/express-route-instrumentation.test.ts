import { createRequire } from 'node:module';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpServerMetrics } from '../metrics/http-server-metrics.js';
import { ExpressRouteInstrumentation, joinRoute } from './express-route-instrumentation.js';
import { routeTemplate } from './framework-route.js';
import { instrumentHttpServers } from './http-server-instrumentation.js';

const require = createRequire(import.meta.url);
type Express = typeof import('express');

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let uninstall: () => void;

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  uninstall = instrumentHttpServers({
    tracer: provider.getTracer('test'),
    metrics: new HttpServerMetrics(new Registry()),
    ignore: () => false,
  });
});
afterAll(() => {
  uninstall();
  context.disable();
  propagation.disable();
});

/** An app with top-level routes, mounted and nested routers, a parametrised mount and an error handler. */
function buildApp(express: Express) {
  const app = express();
  app.use(express.json());
  app.get('/orders/:id', (_req, res) => void res.json({}));
  app.get('/boom', () => {
    throw new Error('handler failed');
  });
  const users = express.Router();
  users.get('/:userId/orders/:orderId', (_req, res) => void res.json({}));
  app.use('/api/users', users);
  // Reached only after the users router above found no match and called next().
  app.get('/api/users/:userId/profile', (_req, res) => void res.json({}));
  const items = express.Router({ mergeParams: true });
  items.get('/:itemId', (_req, res) => void res.json({}));
  app.use('/shops/:shopId/items', items);
  const things = express.Router();
  things.get('/:id', (_req, res) => void res.json({}));
  const v1 = express.Router();
  v1.use('/things', things);
  app.use('/v1/', v1);
  app.use((_req: unknown, res: { status: (s: number) => { end: () => void } }) => res.status(404).end());
  app.use((_err: Error, _req: unknown, res: { status: (s: number) => { end: () => void } }, _next: unknown) => res.status(500).end());
  return app;
}

async function spanFor(base: string, path: string): Promise<{ name: string; route: unknown; status: unknown }> {
  exporter.reset();
  const res = await fetch(base + path);
  await res.arrayBuffer();
  for (let i = 0; i < 50 && exporter.getFinishedSpans().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const [span] = exporter.getFinishedSpans();
  return { name: span!.name, route: span!.attributes['http.route'], status: span!.attributes['http.response.status_code'] };
}

describe.each([
  ['Express 5', 'express'],
  ['Express 4', 'express4'],
])('ExpressRouteInstrumentation with %s', (_label, moduleName) => {
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    const express = require(moduleName) as Express;
    // The patch RITM/IITM applies when the app loads express.
    const [definition] = new ExpressRouteInstrumentation().getModuleDefinitions();
    definition!.patch!(express);
    server = http.createServer(buildApp(express));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('names the span after the route template, mount paths included (parametrised and nested mounts as templates)', async () => {
    expect(await spanFor(base, '/orders/17')).toEqual({ name: 'GET /orders/:id', route: '/orders/:id', status: 200 });
    expect(await spanFor(base, '/api/users/7/orders/9')).toMatchObject({ route: '/api/users/:userId/orders/:orderId' });
    expect(await spanFor(base, '/shops/42/items/5')).toMatchObject({ route: '/shops/:shopId/items/:itemId' });
    expect(await spanFor(base, '/v1/things/3')).toMatchObject({ route: '/v1/things/:id' });
  });

  it('reports no route when nothing matched, even after passing through a mounted router', async () => {
    expect(await spanFor(base, '/api/users/7')).toEqual({ name: 'GET', route: undefined, status: 404 });
    expect(await spanFor(base, '/nowhere')).toEqual({ name: 'GET', route: undefined, status: 404 });
  });

  it('leaves a mounted router that did not match: a later top-level route is reported without its mount path', async () => {
    expect(await spanFor(base, '/api/users/7/profile')).toMatchObject({ route: '/api/users/:userId/profile', status: 200 });
  });

  it('keeps error handlers working (their arity is untouched) and the route of the handler that failed', async () => {
    expect(await spanFor(base, '/boom')).toEqual({ name: 'GET /boom', route: '/boom', status: 500 });
  });
});

describe('route templates', () => {
  it('reads string, RegExp and array paths; joins mounts without doubled or trailing slashes', () => {
    expect(routeTemplate('/a/:id')).toBe('/a/:id');
    expect(routeTemplate(/^\/x$/)).toBe('/^\\/x$/');
    expect(routeTemplate(['/a', '/b'])).toBe('/a,/b');
    expect(routeTemplate(() => undefined)).toBeUndefined();
    expect(joinRoute(undefined, '/a')).toBe('/a');
    expect(joinRoute(['/v1/', '/things'], '/:id')).toBe('/v1/things/:id');
    expect(joinRoute(['/api'], '/')).toBe('/api');
  });
});
