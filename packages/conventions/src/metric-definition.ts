/** The kinds of Prometheus metric the SDK emits. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/** Units follow the Prometheus base-unit suffix rules (OpenTelemetry unit -> name suffix). */
export type MetricUnit = 'seconds' | 'bytes' | 'ratio' | 'requests' | 'calls' | 'attempts' | 'transitions' | 'state' | '1';

/**
 * One metric of the contract. `name` is the Prometheus name as exposed on /metrics
 * (counters carry the `_total` suffix in their name here, as prom-client requires).
 * `labels` is the complete label set the SDK may attach (scrape adds `job` and `instance`);
 * `optionalLabels` lists labels that are only present on some series (e.g. `error_type`).
 */
export interface MetricDefinition<L extends string = string> {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly unit: MetricUnit;
  readonly labels: readonly L[];
  readonly optionalLabels?: readonly L[];
  /** Histogram upper bounds in `unit`, ascending, without +Inf. */
  readonly buckets?: readonly number[];
  /** The OpenTelemetry semantic-convention instrument this maps to, when there is one. */
  readonly otelName?: string;
}

/** Series names a histogram exposes. */
export function histogramSeries(def: MetricDefinition): { bucket: string; sum: string; count: string } {
  if (def.type !== 'histogram') throw new TypeError(`${def.name} is a ${def.type}, not a histogram`);
  return { bucket: `${def.name}_bucket`, sum: `${def.name}_sum`, count: `${def.name}_count` };
}
