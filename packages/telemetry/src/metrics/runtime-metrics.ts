import { constants, monitorEventLoopDelay, performance, PerformanceObserver, type EventLoopUtilization } from 'node:perf_hooks';
import v8 from 'node:v8';
import {
  LABEL,
  NODEJS_EVENTLOOP_DELAY_MAX,
  NODEJS_EVENTLOOP_DELAY_P99,
  NODEJS_EVENTLOOP_UTILIZATION,
  PROCESS_CPU_SECONDS,
  PROCESS_RESIDENT_MEMORY,
  PROCESS_START_TIME,
  V8JS_GC_DURATION,
  V8JS_MEMORY_HEAP_LIMIT,
  V8JS_MEMORY_HEAP_USED,
} from '@platform/conventions';
import type { Registry } from 'prom-client';
import { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram } from './get-or-create-metric.js';

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/**
 * Registers the runtime metrics of the conventions. Values are computed lazily in collect()
 * callbacks at scrape time; only the event-loop delay histogram and the GC observer run
 * continuously. Returns a stop function (idempotent). When the metrics already exist in the
 * registry (another copy of the SDK registered them) nothing is started.
 */
export function startRuntimeMetrics(registry: Registry): () => void {
  if (registry.getSingleMetric(NODEJS_EVENTLOOP_DELAY_P99.name)) return () => {};

  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  const delayMax = getOrCreateGauge(registry, NODEJS_EVENTLOOP_DELAY_MAX).metric;
  // p99's collect reads both values and resets the histogram; collect() runs in registration order.
  getOrCreateGauge(registry, NODEJS_EVENTLOOP_DELAY_P99, function collect() {
    if (loopDelay.count > 0) {
      this.set(loopDelay.percentile(99) / 1e9);
      delayMax.set(loopDelay.max / 1e9);
    }
    loopDelay.reset();
  });
  // Registered after p99 so the max value set there is the one rendered.
  registry.removeSingleMetric(NODEJS_EVENTLOOP_DELAY_MAX.name);
  registry.registerMetric(delayMax);

  let lastElu: EventLoopUtilization = performance.eventLoopUtilization();
  getOrCreateGauge(registry, NODEJS_EVENTLOOP_UTILIZATION, function collect() {
    const now = performance.eventLoopUtilization();
    this.set(performance.eventLoopUtilization(now, lastElu).utilization);
    lastElu = now;
  });

  const gc = getOrCreateHistogram(registry, V8JS_GC_DURATION).metric;
  const gcLabels = new Map<number, Record<string, string>>();
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind ?? 0;
      let labels = gcLabels.get(kind);
      if (!labels) {
        labels = { [LABEL.gcType]: GC_KINDS[kind] ?? 'other' };
        gcLabels.set(kind, labels);
      }
      gc.observe(labels, entry.duration / 1000);
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });

  const heapLimit = getOrCreateGauge(registry, V8JS_MEMORY_HEAP_LIMIT).metric;
  getOrCreateGauge(registry, V8JS_MEMORY_HEAP_USED, function collect() {
    for (const space of v8.getHeapSpaceStatistics()) {
      this.set({ [LABEL.heapSpace]: space.space_name }, space.space_used_size);
      heapLimit.set({ [LABEL.heapSpace]: space.space_name }, space.space_size);
    }
  });
  registry.removeSingleMetric(V8JS_MEMORY_HEAP_LIMIT.name);
  registry.registerMetric(heapLimit);

  let lastCpuSeconds = 0;
  getOrCreateCounter(registry, PROCESS_CPU_SECONDS, function collect() {
    const usage = process.cpuUsage();
    const total = (usage.user + usage.system) / 1e6;
    if (total > lastCpuSeconds) this.inc(total - lastCpuSeconds);
    lastCpuSeconds = total;
  });
  getOrCreateGauge(registry, PROCESS_RESIDENT_MEMORY, function collect() {
    this.set(process.memoryUsage.rss());
  });
  getOrCreateGauge(registry, PROCESS_START_TIME).metric.set(Math.round(performance.timeOrigin) / 1000);

  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    loopDelay.disable();
    gcObserver.disconnect();
  };
}
