import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { frameworkRoute } from './framework-route.js';

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
