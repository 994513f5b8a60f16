import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClientMetrics } from './http-client-metrics.js';
import { listenToUndici } from './undici-client-listener.js';

let servers: Server[] = [];
let ports: number[] = [];

beforeAll(async () => {
  servers = Array.from({ length: 7 }, () => createServer((_req, res) => res.end('ok')));
  ports = await Promise.all(servers.map((s) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)))));
});
afterAll(() => {
  for (const s of servers) s.close();
});

const seriesValues = (text: string, label: string): Set<string> =>
  new Set(
    text
      .split('\n')
      .filter((l) => l.startsWith('http_client_request_duration_seconds_count{'))
      .map((l) => new RegExp(`${label}="([^"]*)"`).exec(l)?.[1] ?? ''),
  );

describe('HttpClientMetrics label cap', () => {
  it('keeps at most maxLabelValues distinct server_port values; later ones become _other and are counted', async () => {
    const registry = new Registry();
    const metrics = new HttpClientMetrics(registry, 3);
    const stop = listenToUndici(metrics);
    try {
      for (const port of ports) await (await fetch(`http://127.0.0.1:${port}/`)).text(); // 7 distinct ports
      await (await fetch(`http://127.0.0.1:${ports[0]}/`)).text(); // a kept port stays itself
    } finally {
      stop();
    }
    const text = await registry.metrics();
    expect([...seriesValues(text, 'server_port')].sort()).toEqual([...ports.slice(0, 3).map(String), '_other'].sort());
    expect(seriesValues(text, 'server_address')).toEqual(new Set(['127.0.0.1']));
    expect(text).toContain('telemetry_label_values_overflow_total{metric="http_client_request_duration_seconds",label="server_port"} 4');
    expect(text).toMatch(new RegExp(`server_port="${ports[0]}"[^\\n]*\\} 2\\n`));
  });

  it('applies to node:http client requests too (server_address from the Host header)', async () => {
    const registry = new Registry();
    const metrics = new HttpClientMetrics(registry, 2);
    for (const [i, host] of ['a.example', 'b.example', 'c.example', 'd.example'].entries()) {
      await new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: ports[i], path: '/', headers: { host } }, (res) => {
          res.resume();
          res.on('end', () => {
            metrics.onHttpRequestEnd(req, res);
            resolve();
          });
        });
        metrics.onHttpRequestStart(req);
        req.on('error', reject);
        req.end();
      });
    }
    const text = await registry.metrics();
    expect([...seriesValues(text, 'server_address')].sort()).toEqual(['_other', 'a.example', 'b.example']);
    expect(text).toContain('telemetry_label_values_overflow_total{metric="http_client_request_duration_seconds",label="server_address"} 2');
  });
});
