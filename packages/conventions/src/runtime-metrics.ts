import { GC_DURATION_BUCKETS_SECONDS } from './buckets.js';
import { LABEL } from './labels.js';
import type { MetricDefinition } from './metric-definition.js';

/** Node.js runtime metrics, named after the OpenTelemetry `nodejs.*` / `v8js.*` conventions. */
export const NODEJS_EVENTLOOP_DELAY_P99 = {
  name: 'nodejs_eventloop_delay_p99_seconds',
  type: 'gauge',
  help: 'Event loop delay, 99th percentile over the last collection interval.',
  unit: 'seconds',
  labels: [],
  otelName: 'nodejs.eventloop.delay.p99',
} as const satisfies MetricDefinition;

export const NODEJS_EVENTLOOP_DELAY_MAX = {
  name: 'nodejs_eventloop_delay_max_seconds',
  type: 'gauge',
  help: 'Event loop delay, maximum over the last collection interval.',
  unit: 'seconds',
  labels: [],
  otelName: 'nodejs.eventloop.delay.max',
} as const satisfies MetricDefinition;

export const NODEJS_EVENTLOOP_UTILIZATION = {
  name: 'nodejs_eventloop_utilization_ratio',
  type: 'gauge',
  help: 'Event loop utilization (0..1) since the previous collection.',
  unit: 'ratio',
  labels: [],
  otelName: 'nodejs.eventloop.utilization',
} as const satisfies MetricDefinition;

export const V8JS_GC_DURATION = {
  name: 'v8js_gc_duration_seconds',
  type: 'histogram',
  help: 'Garbage collection pause duration by GC type.',
  unit: 'seconds',
  labels: [LABEL.gcType],
  buckets: GC_DURATION_BUCKETS_SECONDS,
  otelName: 'v8js.gc.duration',
} as const satisfies MetricDefinition;

export const V8JS_MEMORY_HEAP_USED = {
  name: 'v8js_memory_heap_used_bytes',
  type: 'gauge',
  help: 'V8 heap memory used, by heap space.',
  unit: 'bytes',
  labels: [LABEL.heapSpace],
  otelName: 'v8js.memory.heap.used',
} as const satisfies MetricDefinition;

export const V8JS_MEMORY_HEAP_LIMIT = {
  name: 'v8js_memory_heap_limit_bytes',
  type: 'gauge',
  help: 'V8 heap memory size limit, by heap space.',
  unit: 'bytes',
  labels: [LABEL.heapSpace],
  otelName: 'v8js.memory.heap.limit',
} as const satisfies MetricDefinition;

export const PROCESS_CPU_SECONDS = {
  name: 'process_cpu_seconds_total',
  type: 'counter',
  help: 'Total user and system CPU time spent in seconds.',
  unit: 'seconds',
  labels: [],
} as const satisfies MetricDefinition;

export const PROCESS_RESIDENT_MEMORY = {
  name: 'process_resident_memory_bytes',
  type: 'gauge',
  help: 'Resident memory size in bytes.',
  unit: 'bytes',
  labels: [],
} as const satisfies MetricDefinition;

export const PROCESS_START_TIME = {
  name: 'process_start_time_seconds',
  type: 'gauge',
  help: 'Start time of the process since unix epoch in seconds.',
  unit: 'seconds',
  labels: [],
} as const satisfies MetricDefinition;
