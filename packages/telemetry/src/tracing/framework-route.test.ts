import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { frameworkRoute, recordedRoute } from './framework-route.js';

const req = (fields: object): IncomingMessage => fields as IncomingMessage;

describe('frameworkRoute', () => {
  it("reads Express's matched route template at the top level", () => {
    expect(frameworkRoute(req({ route: { path: '/orders/:id' }, baseUrl: '' }))).toBe('/orders/:id');
    expect(frameworkRoute(req({ route: { path: '/orders/:id' } }))).toBe('/orders/:id');
    expect(frameworkRoute(req({ route: { path: ['/a', '/b'] }, baseUrl: '' }))).toBe('/a,/b');
    expect(frameworkRoute(req({ route: { path: /^\/x\/\d+$/ }, baseUrl: '' }))).toBe('/^\\/x\\/\\d+$/');
  });

  it('gives no route without a match, under a mounted router (baseUrl is a raw URL), or for odd shapes', () => {
    expect(frameworkRoute(req({}))).toBeUndefined();
    expect(frameworkRoute(req({ route: { path: '/items/:id' }, baseUrl: '/users/42' }))).toBeUndefined();
    expect(frameworkRoute(req({ route: { path: 42 }, baseUrl: '' }))).toBeUndefined();
    expect(frameworkRoute(req({ route: { path: ['/a', 1] }, baseUrl: '' }))).toBeUndefined();
  });
});

describe('recordedRoute', () => {
  it('records a catch-all route that answered 404 (a not-found handler) as unmatched', () => {
    for (const route of ['*', '/*', '/*path', '/api*path', '/api/{*rest}', '/(.*)']) expect(recordedRoute(route, 404)).toBeUndefined();
  });
  it('keeps every other route, and a catch-all with any other status (an SPA fallback)', () => {
    expect(recordedRoute('/users/:id', 404)).toBe('/users/:id');
    expect(recordedRoute('/*path', 200)).toBe('/*path');
    expect(recordedRoute('/files/*path', 500)).toBe('/files/*path');
    expect(recordedRoute(undefined, 404)).toBeUndefined();
  });
});
