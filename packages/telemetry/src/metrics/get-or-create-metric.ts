import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { MetricDefinition } from '@platform/conventions';

/**
 * Metric constructors that never throw "already registered": when the registry already holds
 * a metric of that name (double init, or a second copy of the SDK in node_modules sharing the
 * global registry) the existing one is returned and `created` is false. Name, help, labels and
 * buckets always come from the conventions definition.
 */
export interface Created<M> {
  metric: M;
  created: boolean;
}

function getOrCreate<M>(registry: Registry, def: MetricDefinition, create: () => M): Created<M> {
  const existing = registry.getSingleMetric(def.name);
  if (existing) return { metric: existing as M, created: false };
  return { metric: create(), created: true };
}

export function getOrCreateHistogram(registry: Registry, def: MetricDefinition, extra: { enableExemplars?: boolean } = {}): Created<Histogram<string>> {
  return getOrCreate(registry, def, () => {
    const metric = new Histogram<string>({
      name: def.name,
      help: def.help,
      labelNames: [...def.labels],
      buckets: [...(def.buckets ?? [])],
      // prom-client refuses exemplars on a Prometheus-format registry at construction time, so
      // the histogram is registered afterwards; the format is chosen per scrape (render-metrics).
      registers: [],
      enableExemplars: extra.enableExemplars ?? false,
    });
    registry.registerMetric(metric);
    return metric;
  });
}

export function getOrCreateGauge(registry: Registry, def: MetricDefinition, collect?: (this: Gauge<string>) => void): Created<Gauge<string>> {
  return getOrCreate(
    registry,
    def,
    () => new Gauge<string>({ name: def.name, help: def.help, labelNames: [...def.labels], registers: [registry], ...(collect ? { collect } : {}) }),
  );
}

export function getOrCreateCounter(registry: Registry, def: MetricDefinition, collect?: (this: Counter<string>) => void): Created<Counter<string>> {
  return getOrCreate(
    registry,
    def,
    () => new Counter<string>({ name: def.name, help: def.help, labelNames: [...def.labels], registers: [registry], ...(collect ? { collect } : {}) }),
  );
}
