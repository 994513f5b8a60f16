import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The runtime export list of @platform/conventions, written out: publishing a new name (or
// dropping one) must change this list, the explicit exports in index.ts and README.md together.
const PUBLIC_API = [
  'ALL_METRICS',
  'ATTEMPT_DURATION_BUCKETS_SECONDS',
  'ATTEMPT_OUTCOMES',
  'BREAKER_STATE_VALUE',
  'BURN_RATE_WINDOWS',
  'CALL_OUTCOMES',
  'GC_DURATION_BUCKETS_SECONDS',
  'HTTP_CLIENT_REQUEST_DURATION',
  'HTTP_DURATION_BUCKETS_SECONDS',
  'HTTP_METRICS',
  'HTTP_SERVER_ACTIVE_REQUESTS',
  'HTTP_SERVER_REQUEST_DURATION',
  'KNOWN_HTTP_METHODS',
  'LABEL',
  'NODEJS_EVENTLOOP_DELAY_MAX',
  'NODEJS_EVENTLOOP_DELAY_P99',
  'NODEJS_EVENTLOOP_UTILIZATION',
  'OTHER_HTTP_METHOD',
  'OVERFLOW_LABEL_VALUE',
  'PROCESS_CPU_SECONDS',
  'PROCESS_RESIDENT_MEMORY',
  'PROCESS_START_TIME',
  'REFERENCE_SLO_WINDOW_DAYS',
  'RESILIENCE_ATTEMPT_DURATION',
  'RESILIENCE_BREAKER_STATE',
  'RESILIENCE_BREAKER_TRANSITIONS',
  'RESILIENCE_CALLS',
  'RESILIENCE_METRICS',
  'RESILIENCE_RETRY_ATTEMPTS',
  'RESILIENCE_RETRY_BUDGET_EXHAUSTED',
  'RUNTIME_METRICS',
  'SLI_RATE_WINDOWS',
  'SLO_WINDOW_PATTERN',
  'TELEMETRY_LABEL_VALUES_OVERFLOW',
  'TELEMETRY_METRICS',
  'TELEMETRY_SOURCE',
  'UNMATCHED_ROUTE',
  'V8JS_GC_DURATION',
  'V8JS_MEMORY_HEAP_LIMIT',
  'V8JS_MEMORY_HEAP_USED',
  'findMetric',
  'histogramSeries',
  'isBucketBoundary',
  'scaleBurnRate',
];

describe('@platform/conventions public API', () => {
  it('exports exactly the listed names', async () => {
    expect(Object.keys(await import('./index.js')).sort()).toEqual(PUBLIC_API);
  });

  it('README.md documents every exported name', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const documented = new Set([...readme.matchAll(/`([A-Za-z0-9_]+)/g)].map((m) => m[1]));
    expect(PUBLIC_API.filter((name) => !documented.has(name))).toEqual([]);
  });
});
