import { LABEL } from './labels.js';
import type { MetricDefinition } from './metric-definition.js';

/** The SDK's own bounds, made visible. */
export const TELEMETRY_LABEL_VALUES_OVERFLOW = {
  name: 'telemetry_label_values_overflow_total',
  type: 'counter',
  help: 'Observations recorded under the overflow label value (_other) because the label reached its cap on distinct values.',
  unit: '1',
  labels: [LABEL.metric, LABEL.label],
} as const satisfies MetricDefinition;
