/**
 * DNS-rebinding defence for servers on a loopback port: a page on evil.example whose name
 * re-resolves to 127.0.0.1 reaches us with `Host: evil.example:PORT`, so only hosts that cannot
 * be rebound are accepted (localhost names and IP literals) on our own port; and a browser's
 * cross-origin request carries an `Origin` that is not ours, so any other Origin is refused.
 */
import { isIP } from 'node:net';

export interface RequestHeaders {
  readonly host?: string | undefined;
  readonly origin?: string | undefined;
  readonly 'sec-fetch-site'?: string | string[] | undefined;
}

export type GuardVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const LOCAL_NAMES = new Set(['localhost', 'localhost.']);

function hostAndPort(value: string): { host: string; port: string } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::([0-9]{1,5}))?$/.exec(value);
  if (!m) return undefined;
  const host = (m[1] as string).toLowerCase();
  return { host: host.startsWith('[') ? host.slice(1, -1) : host, port: m[2] ?? '80' };
}

function trustedHost(value: string, port: number): boolean {
  const hp = hostAndPort(value);
  if (!hp || hp.port !== String(port)) return false;
  return LOCAL_NAMES.has(hp.host) || hp.host.endsWith('.localhost') || isIP(hp.host) !== 0;
}

export function checkHostAndOrigin(headers: RequestHeaders, port: number): GuardVerdict {
  const host = headers.host;
  if (host === undefined || !trustedHost(host, port)) {
    return { ok: false, reason: `Host ${JSON.stringify(host ?? '')} is not this server (only localhost or an IP literal on port ${port})` };
  }
  const origin = headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return { ok: false, reason: `cross-origin request from ${JSON.stringify(origin)} refused` };
  }
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site') return { ok: false, reason: 'cross-site request refused' };
  return { ok: true };
}
