import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACT_KEYS } from '../config/defaults.js';
import { createDeepRedactor, REDACTED } from './redact-deep.js';

const redact = createDeepRedactor(DEFAULT_REDACT_KEYS);

describe('deep redaction', () => {
  it('redacts configured keys at any depth, case-insensitively, in objects and arrays', () => {
    const input = {
      user: 'ada',
      headers: { Authorization: 'Bearer x', Cookie: 'c', accept: '*/*' },
      a: { b: { c: { d: { e: { password: 'p', keep: 1 } } } } },
      list: [{ token: 't' }, 'plain', [{ API_KEY: 'k' }]],
      'set-cookie': ['s'],
    };
    const out = redact(input);
    expect(out).toEqual({
      user: 'ada',
      headers: { Authorization: REDACTED, Cookie: REDACTED, accept: '*/*' },
      a: { b: { c: { d: { e: { password: REDACTED, keep: 1 } } } } },
      list: [{ token: REDACTED }, 'plain', [{ API_KEY: REDACTED }]],
      'set-cookie': REDACTED,
    });
    // copy-on-write: the caller's object is untouched
    expect(input.headers.Authorization).toBe('Bearer x');
    expect(input.a.b.c.d.e.password).toBe('p');
  });

  it('returns the same object when nothing matches (no allocation)', () => {
    const clean = { a: 1, b: { c: [1, 2, { d: 'x' }] } };
    expect(redact(clean)).toBe(clean);
  });

  it('leaves errors and class instances alone and survives cycles', () => {
    const err = new Error('boom');
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    expect(redact({ err }).err).toBe(err);
    expect(() => redact(cyclic)).not.toThrow();
    expect(redact(new Date(0))).toEqual(new Date(0));
  });

  it('uses a configurable key list', () => {
    const custom = createDeepRedactor(['ssn']);
    expect(custom({ ssn: '1', password: 'p' })).toEqual({ ssn: REDACTED, password: 'p' });
  });
});
