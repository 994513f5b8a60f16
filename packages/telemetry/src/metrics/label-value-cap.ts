import { OVERFLOW_LABEL_VALUE, TELEMETRY_LABEL_VALUES_OVERFLOW } from '@platform/conventions';
import type { Counter, Registry } from 'prom-client';
import { getOrCreateCounter } from './get-or-create-metric.js';

/**
 * Caps the distinct values of the labels of one metric whose values follow something the
 * application does not choose (the host and port it calls, the status a remote server
 * answers): the first `maxValues` distinct values of each label are kept, every later new
 * value is recorded as `_other` and counted on telemetry_label_values_overflow_total{metric,label}.
 * Memory and /metrics size stay bounded whatever the app is made to call.
 */
export class LabelValueCap {
  private readonly seen = new Map<string, Set<string>>();
  private readonly overflow: Counter<string>;
  private readonly overflowLabels = new Map<string, Readonly<Record<string, string>>>();

  constructor(
    registry: Registry,
    private readonly metric: string,
    private readonly maxValues: number,
  ) {
    this.overflow = getOrCreateCounter(registry, TELEMETRY_LABEL_VALUES_OVERFLOW).metric;
  }

  /** The value to record for `label`: `value` itself, or `_other` once the label is full. */
  value(label: string, value: string | number): string | number {
    const key = String(value);
    let values = this.seen.get(label);
    if (values === undefined) {
      values = new Set();
      this.seen.set(label, values);
    }
    if (values.has(key)) return value;
    if (values.size < this.maxValues) {
      values.add(key);
      return value;
    }
    this.overflow.inc(this.overflowLabelsFor(label));
    return OVERFLOW_LABEL_VALUE;
  }

  private overflowLabelsFor(label: string): Readonly<Record<string, string>> {
    let labels = this.overflowLabels.get(label);
    if (labels === undefined) {
      labels = Object.freeze({ metric: this.metric, label });
      this.overflowLabels.set(label, labels);
    }
    return labels;
  }
}
