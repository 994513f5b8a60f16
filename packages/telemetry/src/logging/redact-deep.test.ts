import { ClientRequest, createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACT_KEYS } from '../config/defaults.js';
import { createDeepRedactor, REDACTED, TOO_DEEP } from './redact-deep.js';

const redact = createDeepRedactor(DEFAULT_REDACT_KEYS);
const json = (v: unknown): string => JSON.stringify(v);

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
    const clean = { a: 1, b: { c: [1, 2, { d: 'x' }] }, url: '/orders?page=2', email: 'a@b.c', when: new Date(0) };
    expect(redact(clean)).toBe(clean);
  });

  it('matches names by shape, not spelling', () => {
    const out = redact({
      accessToken: 1,
      clientSecret: 2,
      refreshToken: 3,
      'x-auth-token': 4,
      privateKey: 5,
      jwt: 6,
      sessionId: 7,
      passenger: 'kept',
      tokenType: 'Bearer',
    });
    expect(out).toEqual({
      accessToken: REDACTED,
      clientSecret: REDACTED,
      refreshToken: REDACTED,
      'x-auth-token': REDACTED,
      privateKey: REDACTED,
      jwt: REDACTED,
      sessionId: REDACTED,
      passenger: 'kept',
      tokenType: 'Bearer',
    });
  });

  it('serializes Errors under any key (own fields walked: the axios config.headers.Authorization) and keeps errors readable', () => {
    const err = Object.assign(new Error('boom'), { config: { url: '/x?token=Q', headers: { Authorization: 'Bearer AX' } }, code: 'E1' });
    for (const key of ['err', 'error', 'failure', 'cause']) {
      const out = redact({ [key]: err }) as Record<string, Record<string, unknown>>;
      expect(out[key]!.message).toBe('boom');
      expect(out[key]!.type).toBe('Error');
      expect(out[key]!.code).toBe('E1');
      expect(json(out)).not.toContain('Bearer AX');
      expect(json(out)).not.toContain('token=Q');
    }
    expect(json(redact({ list: [err] }))).not.toContain('Bearer AX');
    expect(err.config.headers.Authorization).toBe('Bearer AX');
  });

  it('redacts rawHeaders pairs, Maps, Headers, URL objects and URL strings', () => {
    const out = redact({
      rawHeaders: ['Host', 'h', 'Authorization', 'Bearer RAW', 'X-Auth-Key', 'K', 'Accept', '*/*'],
      map: new Map<string, unknown>([
        ['clientSecret', 'MAP'],
        ['page', 1],
      ]),
      headers: new Headers({ 'x-api-key': 'HDR', accept: 'json' }),
      url: new URL('https://api.example/cb?token=URLOBJ&state=s'),
      link: 'https://ada:PW@api.example/cb?access_token=STR#top',
    });
    expect(out).toEqual({
      rawHeaders: ['Host', 'h', 'Authorization', REDACTED, 'X-Auth-Key', REDACTED, 'Accept', '*/*'],
      map: { clientSecret: REDACTED, page: 1 },
      headers: { 'x-api-key': REDACTED, accept: 'json' },
      url: 'https://api.example/cb?token=REDACTED&state=s',
      link: 'https://REDACTED:REDACTED@api.example/cb?access_token=REDACTED#top',
    });
  });

  it('redacts beyond the depth limit instead of passing it through', () => {
    const deep = createDeepRedactor([], { maxDepth: 3 });
    const out = deep({ a: { b: { c: { d: { note: 'anything' } } } } });
    expect(out).toEqual({ a: { b: { c: { d: TOO_DEEP } } } });
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    expect(() => json(redact(cyclic))).not.toThrow();
  });

  it('bounds the work per call with a node budget', () => {
    const small = createDeepRedactor([], { maxNodes: 10 });
    const out = small({ list: Array.from({ length: 50 }, (_, i) => ({ i })) }) as { list: unknown[] };
    expect(out.list.filter((x) => x === TOO_DEEP).length).toBe(41);
  });

  it('summarises node:http messages (IncomingMessage, ClientRequest) instead of printing sockets and raw header blocks', async () => {
    let logged: unknown;
    const server = createServer((req: IncomingMessage, res) => {
      logged = redact({ req });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const clientLogged = await new Promise<unknown>((resolve, reject) => {
      const req = new ClientRequest({ host: '127.0.0.1', port, path: '/p?jwt=Q', headers: { authorization: 'Bearer CLIENT' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(redact({ request: req })));
      });
      req.on('error', reject);
      req.end();
    });
    server.close();
    expect(logged).toMatchObject({ req: { method: 'GET', url: '/p?jwt=REDACTED', headers: { authorization: REDACTED } } });
    expect(Object.keys((logged as { req: object }).req)).not.toContain('socket');
    expect(clientLogged).toMatchObject({ request: { method: 'GET', path: '/p?jwt=REDACTED', headers: { authorization: REDACTED } } });
    expect(json(clientLogged)).not.toContain('CLIENT');
  });

  it('adds configured names to the shape rules', () => {
    const custom = createDeepRedactor(['ssn']);
    expect(custom({ SSN: '1', password: 'p', name: 'n' })).toEqual({ SSN: REDACTED, password: REDACTED, name: 'n' });
  });

  it('walks what toJSON returns and survives a toJSON that returns itself', () => {
    class Credentials {
      constructor(
        readonly user: string,
        readonly secret: string,
      ) {}
      toJSON(): object {
        return { user: this.user, clientSecret: this.secret };
      }
    }
    class SelfJson {
      apiKey = 'K';
      toJSON(): this {
        return this;
      }
    }
    expect(json(redact({ c: new Credentials('ada', 'S') }))).toBe('{"c":{"user":"ada","clientSecret":"[REDACTED]"}}');
    expect(json(redact({ s: new SelfJson() }))).toBe('{"s":{"apiKey":"[REDACTED]"}}');
  });
});
