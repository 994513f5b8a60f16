import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The runtime export list of @platform/telemetry, written out: publishing a new name (or dropping
// one) must change this list, the explicit exports in index.ts and README.md together. The CommonJS
// build is bundled from the same index.ts; test/commonjs.test.ts checks it has this same list.
const PUBLIC_API = [
  'BreakerOpenError',
  'CircuitBreaker',
  'DEFAULT_REDACT_KEYS',
  'DEFAULT_REDACT_QUERY_PARAMS',
  'HttpStatusError',
  'ResilienceError',
  'ResilientPolicy',
  'RetryBudgetExceededError',
  'TimeoutError',
  'decorrelatedJitter',
  'getCircuitBreaker',
  'getLogger',
  'getRegistry',
  'initTelemetry',
  'isBreakerFailure',
  'isRetryableError',
  'isRetryableStatus',
  'logger',
  'metricsHandler',
  'parseRetryAfter',
  'resetResilience',
  'resilient',
  'resilientFetch',
  'setRoute',
];

describe('@platform/telemetry public API', () => {
  it('exports exactly the listed names', async () => {
    expect(Object.keys(await import('./index.js')).sort()).toEqual(PUBLIC_API);
  });

  it("'@platform/telemetry/conventions' re-exports exactly @platform/conventions", async () => {
    const contract = Object.keys(await import('@platform/conventions')).sort();
    expect(Object.keys(await import('./conventions.js')).sort()).toEqual(contract);
  });

  it('README.md (and the resilience README it links) document every exported name', () => {
    const docs = ['../README.md', './resilience/README.md'].map((f) => readFileSync(new URL(f, import.meta.url), 'utf8')).join('\n');
    const documented = new Set([...docs.matchAll(/`([A-Za-z0-9_]+)/g)].map((m) => m[1]));
    expect(PUBLIC_API.filter((name) => !documented.has(name))).toEqual([]);
  });
  it('the published declarations leave out @internal members (stripInternal; needs `npm run build`, as CI runs it first)', () => {
    const dts = readFileSync(new URL('../dist/resilience/resilient.d.ts', import.meta.url), 'utf8');
    expect(dts).toContain('execute<T>(');
    expect(dts).not.toMatch(/\brun<T>\(|\bsucceeded\(|readonly clock/);
  });
});
