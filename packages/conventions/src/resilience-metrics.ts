import { ATTEMPT_DURATION_BUCKETS_SECONDS } from './buckets.js';
import { LABEL } from './labels.js';
import type { MetricDefinition } from './metric-definition.js';

/** Outcome of one resilient call (after all retries), as recorded on `resilience_calls_total`. */
export const CALL_OUTCOMES = ['success', 'failure', 'rejected', 'timeout'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Outcome of one attempt inside a call. */
export const ATTEMPT_OUTCOMES = ['success', 'failure', 'timeout'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** Circuit-breaker states and the gauge values that encode them. */
export const BREAKER_STATE_VALUE = { closed: 0, open: 1, half_open: 2 } as const;
export type BreakerStateName = keyof typeof BREAKER_STATE_VALUE;

export const RESILIENCE_CALLS = {
  name: 'resilience_calls_total',
  type: 'counter',
  help: 'Calls made through a resilience policy, by final outcome (success, failure, rejected, timeout).',
  unit: 'calls',
  labels: [LABEL.dependency, LABEL.outcome],
} as const satisfies MetricDefinition;

export const RESILIENCE_RETRY_ATTEMPTS = {
  name: 'resilience_retry_attempts_total',
  type: 'counter',
  help: 'Retry attempts made (attempts after the first) per dependency.',
  unit: 'attempts',
  labels: [LABEL.dependency],
} as const satisfies MetricDefinition;

export const RESILIENCE_RETRY_BUDGET_EXHAUSTED = {
  name: 'resilience_retry_budget_exhausted_total',
  type: 'counter',
  help: 'Retries not made because the retry budget for the dependency was exhausted.',
  unit: 'calls',
  labels: [LABEL.dependency],
} as const satisfies MetricDefinition;

export const RESILIENCE_ATTEMPT_DURATION = {
  name: 'resilience_attempt_duration_seconds',
  type: 'histogram',
  help: 'Duration of each attempt made through a resilience policy, by attempt outcome.',
  unit: 'seconds',
  labels: [LABEL.dependency, LABEL.outcome],
  buckets: ATTEMPT_DURATION_BUCKETS_SECONDS,
} as const satisfies MetricDefinition;

export const RESILIENCE_BREAKER_STATE = {
  name: 'resilience_circuit_breaker_state',
  type: 'gauge',
  help: 'Circuit breaker state per dependency: 0 closed, 1 open, 2 half-open.',
  unit: 'state',
  labels: [LABEL.dependency],
} as const satisfies MetricDefinition;

export const RESILIENCE_BREAKER_TRANSITIONS = {
  name: 'resilience_circuit_breaker_transitions_total',
  type: 'counter',
  help: 'Circuit breaker state transitions per dependency.',
  unit: 'transitions',
  labels: [LABEL.dependency, LABEL.fromState, LABEL.toState],
} as const satisfies MetricDefinition;
