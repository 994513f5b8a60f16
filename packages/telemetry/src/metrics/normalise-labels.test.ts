import { describe, expect, it } from 'vitest';
import { OTHER_HTTP_METHOD, UNMATCHED_ROUTE } from '@platform/conventions';
import { errorTypeForStatus, normaliseMethod, normaliseRoute } from './normalise-labels.js';

describe('label normalisation', () => {
  it('keeps known methods and maps the rest to _OTHER', () => {
    expect(normaliseMethod('GET')).toBe('GET');
    expect(normaliseMethod('PATCH')).toBe('PATCH');
    expect(normaliseMethod('get')).toBe(OTHER_HTTP_METHOD);
    expect(normaliseMethod('PROPFIND')).toBe(OTHER_HTTP_METHOD);
  });
  it('uses the route template or the unmatched marker, never a URL', () => {
    expect(normaliseRoute('/orders/:id')).toBe('/orders/:id');
    expect(normaliseRoute(undefined)).toBe(UNMATCHED_ROUTE);
    expect(normaliseRoute('')).toBe(UNMATCHED_ROUTE);
  });
  it('sets error_type only for 5xx', () => {
    expect(errorTypeForStatus(404)).toBeUndefined();
    expect(errorTypeForStatus(503)).toBe('503');
  });
});
