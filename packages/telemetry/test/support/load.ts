/**
 * Bounded load and process measurements for reliability tests: concurrent request loops on
 * 127.0.0.1 that stop at a request count or a deadline (whichever first), and VmRSS sampling
 * from /proc/<pid>/status.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';

export interface LoadRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Status the service must answer; anything else (or a network error) counts as an error. */
  expect: number;
}

export interface LoadResult {
  total: number;
  errors: string[];
  statusCounts: Record<string, number>;
  elapsedMs: number;
}

/**
 * `concurrency` loops over a keep-alive agent, each sending `next(i)` until `maxRequests`
 * requests were sent or `durationMs` passed. Never runs unbounded.
 */
export async function runLoad(opts: {
  baseUrl: string;
  durationMs: number;
  maxRequests: number;
  concurrency: number;
  next: (i: number) => LoadRequest;
  perRequestTimeoutMs?: number;
}): Promise<LoadResult> {
  const url = new URL(opts.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const started = Date.now();
  const deadline = started + opts.durationMs;
  let issued = 0;
  const errors: string[] = [];
  const statusCounts: Record<string, number> = {};
  const one = (r: LoadRequest): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: r.method ?? 'GET',
          path: r.path,
          headers: {
            ...(r.body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(r.body)) } : {}),
            ...r.headers,
          },
          timeout: opts.perRequestTimeoutMs ?? 5000,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timeout')));
      req.on('error', reject);
      req.end(r.body);
    });
  const loop = async (): Promise<void> => {
    while (issued < opts.maxRequests && Date.now() < deadline) {
      const r = opts.next(issued++);
      try {
        const status = await one(r);
        statusCounts[status] = (statusCounts[status] ?? 0) + 1;
        if (status !== r.expect) errors.push(`${r.method ?? 'GET'} ${r.path} -> ${status} (expected ${r.expect})`);
      } catch (error) {
        errors.push(`${r.method ?? 'GET'} ${r.path} -> ${String(error)}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.concurrency }, loop));
  } finally {
    agent.destroy();
  }
  const total = Object.values(statusCounts).reduce((a, b) => a + b, 0) + errors.filter((e) => !/ -> \d+ \(expected/.test(e)).length;
  return { total, errors, statusCounts, elapsedMs: Date.now() - started };
}

/** VmRSS of `pid` in KiB (Linux /proc), or undefined when the process is gone. */
export function readRssKb(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Samples VmRSS every `intervalMs` until stopped; returns the samples (KiB). */
export function sampleRss(pid: number, intervalMs = 200): { stop(): number[] } {
  const samples: number[] = [];
  const take = (): void => {
    const v = readRssKb(pid);
    if (v !== undefined) samples.push(v);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** Parsed stdout JSON lines at pino level warn (40) or above. */
export function warningLines(lines: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return lines.filter((l) => typeof l.level === 'number' && l.level >= 40);
}

/** Non-empty stderr lines. */
export function stderrLines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}
