import { trace, type Span } from '@opentelemetry/api';
import {
  ATTEMPT_OUTCOMES,
  BREAKER_STATE_VALUE,
  CALL_OUTCOMES,
  LABEL,
  RESILIENCE_ATTEMPT_DURATION,
  RESILIENCE_BREAKER_STATE,
  RESILIENCE_BREAKER_TRANSITIONS,
  RESILIENCE_CALLS,
  RESILIENCE_RETRY_ATTEMPTS,
  RESILIENCE_RETRY_BUDGET_EXHAUSTED,
  type BreakerStateName,
} from '@platform/conventions';
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram } from '../metrics/get-or-create-metric.js';
import type { TransitionReason } from './circuit-breaker.js';
import type { ResilienceLogger } from './telemetry-sink.js';

/** Indexes into CALL_OUTCOMES / ATTEMPT_OUTCOMES (the contract's order). */
export const CALL_SUCCESS = CALL_OUTCOMES.indexOf('success');
export const CALL_FAILURE = CALL_OUTCOMES.indexOf('failure');
export const CALL_REJECTED = CALL_OUTCOMES.indexOf('rejected');
export const CALL_TIMEOUT = CALL_OUTCOMES.indexOf('timeout');
export const ATTEMPT_SUCCESS = ATTEMPT_OUTCOMES.indexOf('success');
export const ATTEMPT_FAILURE = ATTEMPT_OUTCOMES.indexOf('failure');
export const ATTEMPT_TIMEOUT = ATTEMPT_OUTCOMES.indexOf('timeout');

const BOUNDS_S: readonly number[] = RESILIENCE_ATTEMPT_DURATION.buckets;
/** Bucket upper bounds in ms, plus +Inf. */
const BOUNDS_MS = [...BOUNDS_S.map((b) => b * 1000), Infinity];
const NB = BOUNDS_MS.length;

type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

/** Layout of a dependency's accumulator array. */
const OFF_CALLS = 0;
const OFF_RETRIES = OFF_CALLS + CALL_OUTCOMES.length;
const OFF_BUDGET = OFF_RETRIES + 1;
const OFF_BUCKETS = OFF_BUDGET + 1;
const OFF_SUM = OFF_BUCKETS + ATTEMPT_OUTCOMES.length * NB;
const OFF_COUNT = OFF_SUM + ATTEMPT_OUTCOMES.length;
const SLOTS = OFF_COUNT + ATTEMPT_OUTCOMES.length;

/**
 * Per-dependency accumulators. The hot path only adds to one plain Float64Array (prom-client's
 * `labels().inc()` hashes the label set on every call, ~250 ns; `observe()` ~500 ns); the
 * deltas are pushed into the prom-client metrics when the registry is collected (scrape).
 */
export class DependencyTelemetry {
  /** calls by CALL_OUTCOMES index, retries, budget exhaustions, histogram buckets/sum/count. */
  private readonly v = new Float64Array(SLOTS);
  /** Values already pushed to prom-client; allocated at the first flush with data. */
  private flushed: Float64Array | undefined;

  constructor(
    readonly dependency: string,
    private readonly sink: ResilienceMetrics,
  ) {}

  call(outcome: number): void {
    this.v[OFF_CALLS + outcome]! += 1;
  }

  retry(): void {
    this.v[OFF_RETRIES]! += 1;
  }

  budgetExhausted(): void {
    this.v[OFF_BUDGET]! += 1;
  }

  observeAttempt(outcome: number, durationMs: number): void {
    let i = 0;
    while (durationMs > BOUNDS_MS[i]!) i++;
    const v = this.v;
    v[OFF_BUCKETS + outcome * NB + i]! += 1;
    v[OFF_SUM + outcome]! += durationMs;
    v[OFF_COUNT + outcome]! += 1;
  }

  /** Pushes accumulated deltas into the prom-client metrics. */
  flush(): void {
    const v = this.v;
    let f = this.flushed;
    if (f === undefined) {
      if (v.every((x) => x === 0)) return;
      f = this.flushed = new Float64Array(SLOTS);
    }
    // Every recorded event moves a call or an attempt count (all monotonic): cheap "changed?" test.
    let changed = false;
    for (let i = OFF_CALLS; i < OFF_CALLS + CALL_OUTCOMES.length && !changed; i++) changed = v[i] !== f[i];
    for (let i = OFF_COUNT; i < SLOTS && !changed; i++) changed = v[i] !== f[i];
    if (!changed) return;
    const dep = this.dependency;
    const delta = (i: number): number => {
      const d = v[i]! - f[i]!;
      f[i] = v[i]!;
      return d;
    };
    for (let o = 0; o < CALL_OUTCOMES.length; o++) {
      const d = delta(OFF_CALLS + o);
      if (d > 0) this.sink.calls.inc({ [LABEL.dependency]: dep, [LABEL.outcome]: CALL_OUTCOMES[o]! }, d);
    }
    const r = delta(OFF_RETRIES);
    if (r > 0) this.sink.retries.inc({ [LABEL.dependency]: dep }, r);
    const b = delta(OFF_BUDGET);
    if (b > 0) this.sink.budget.inc({ [LABEL.dependency]: dep }, b);
    for (let o = 0; o < ATTEMPT_OUTCOMES.length; o++) {
      const dc = delta(OFF_COUNT + o);
      const ds = delta(OFF_SUM + o);
      const deltas = new Array<number>(NB);
      for (let k = 0; k < NB; k++) deltas[k] = delta(OFF_BUCKETS + o * NB + k);
      if (dc > 0) this.sink.addToHistogram(dep, ATTEMPT_OUTCOMES[o]!, deltas, ds / 1000, dc);
    }
  }

  /**
   * Records a breaker transition: gauge, transition counter, one warn line, one span event on
   * `span` (the span of the call that caused it, passed along by the breaker, so it lands there
   * even when the async context was not propagated), else on the active span.
   */
  transition(from: BreakerStateName, to: BreakerStateName, reason: TransitionReason, span: Span | undefined): void {
    this.sink.transition(this.dependency, from, to, reason, span);
  }

  setState(state: BreakerStateName): void {
    this.sink.state.set({ [LABEL.dependency]: this.dependency }, BREAKER_STATE_VALUE[state]);
  }
}

interface HistogramEntry {
  labels: Record<string, string>;
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
}

/** Flush hooks installed on a metric's `collect` (one wrapper per metric object). */
const hooks = new WeakMap<object, Set<() => void>>();

function hook(metric: AnyMetric, flush: () => void): void {
  let set = hooks.get(metric);
  if (!set) {
    const fns = new Set<() => void>();
    set = fns;
    hooks.set(metric, fns);
    const m = metric as unknown as { collect?: () => unknown };
    const prev = m.collect;
    m.collect = function (this: unknown) {
      for (const f of fns) f();
      return prev?.call(this);
    };
  }
  set.add(flush);
}

/** The six resilience metrics on one Registry (created idempotently) and the dependencies feeding them. */
export class ResilienceMetrics {
  readonly calls: Counter<string>;
  readonly retries: Counter<string>;
  readonly budget: Counter<string>;
  readonly duration: Histogram<string>;
  readonly state: Gauge<string>;
  readonly transitions: Counter<string>;
  private readonly deps = new Map<string, DependencyTelemetry>();
  private histogramIndex: Map<string, HistogramEntry> | undefined;

  constructor(
    readonly registry: Registry,
    readonly logger: ResilienceLogger,
  ) {
    this.calls = getOrCreateCounter(registry, RESILIENCE_CALLS).metric;
    this.retries = getOrCreateCounter(registry, RESILIENCE_RETRY_ATTEMPTS).metric;
    this.budget = getOrCreateCounter(registry, RESILIENCE_RETRY_BUDGET_EXHAUSTED).metric;
    this.duration = getOrCreateHistogram(registry, RESILIENCE_ATTEMPT_DURATION).metric;
    this.state = getOrCreateGauge(registry, RESILIENCE_BREAKER_STATE).metric;
    this.transitions = getOrCreateCounter(registry, RESILIENCE_BREAKER_TRANSITIONS).metric;
    const flush = (): void => this.flush();
    for (const m of [this.calls, this.retries, this.budget, this.duration, this.state, this.transitions]) hook(m, flush);
  }

  dependency(name: string): DependencyTelemetry {
    let d = this.deps.get(name);
    if (!d) {
      d = new DependencyTelemetry(name, this);
      this.deps.set(name, d);
      this.initialiseSeries(name);
    }
    return d;
  }

  /**
   * Exposes a new dependency's counters at 0 for every outcome, so `rate()` over them is 0
   * (not "no data") until the first event, and an outage shows as a rise from a real baseline.
   */
  private initialiseSeries(dependency: string): void {
    for (const outcome of CALL_OUTCOMES) this.calls.inc({ [LABEL.dependency]: dependency, [LABEL.outcome]: outcome }, 0);
    this.retries.inc({ [LABEL.dependency]: dependency }, 0);
    this.budget.inc({ [LABEL.dependency]: dependency }, 0);
  }

  flush(): void {
    this.histogramIndex = undefined;
    for (const d of this.deps.values()) d.flush();
    this.histogramIndex = undefined;
  }

  transition(dependency: string, from: BreakerStateName, to: BreakerStateName, reason: TransitionReason, causeSpan: Span | undefined): void {
    this.state.set({ [LABEL.dependency]: dependency }, BREAKER_STATE_VALUE[to]);
    this.transitions.inc({ [LABEL.dependency]: dependency, [LABEL.fromState]: from, [LABEL.toState]: to });
    this.logger.warn({ dependency, from, to, reason }, `circuit breaker ${dependency}: ${from} -> ${to} (${reason})`);
    const span = causeSpan ?? trace.getActiveSpan();
    if (span?.isRecording()) {
      span.addEvent('resilience.breaker.transition', {
        'resilience.dependency': dependency,
        'resilience.breaker.from': from,
        'resilience.breaker.to': to,
        'resilience.breaker.reason': reason,
      });
    }
  }

  /**
   * Adds pre-bucketed observations to the prom-client histogram series. prom-client has no bulk
   * API, so this writes its per-series record (`hashMap` entry: bucketValues/sum/count, stable
   * across prom-client 13-15); if that shape is ever missing it falls back to `observe()` with
   * each bucket's upper bound (counts exact, sum approximate).
   */
  addToHistogram(dependency: string, outcome: string, deltas: number[], sumSeconds: number, count: number): void {
    const labels = { [LABEL.dependency]: dependency, [LABEL.outcome]: outcome };
    const entry = this.histogramEntry(labels);
    if (entry) {
      for (let b = 0; b < BOUNDS_S.length; b++) {
        const key = String(BOUNDS_S[b]);
        entry.bucketValues[key] = (entry.bucketValues[key] ?? 0) + deltas[b]!;
      }
      // The +Inf bucket is implicit (count minus the finite buckets).
      entry.sum += sumSeconds;
      entry.count += count;
      return;
    }
    for (let b = 0; b < NB; b++) {
      const v = b < BOUNDS_S.length ? BOUNDS_S[b]! : BOUNDS_S[BOUNDS_S.length - 1]! * 2;
      for (let k = 0; k < deltas[b]!; k++) this.duration.observe(labels, v);
    }
  }

  private histogramEntry(labels: Record<string, string>): HistogramEntry | undefined {
    const key = (l: Record<string, string>): string => `${l[LABEL.dependency]}\u0000${l[LABEL.outcome]}`;
    const internal = this.duration as unknown as { hashMap?: Record<string, HistogramEntry> };
    const valid = (e: HistogramEntry | undefined): e is HistogramEntry =>
      !!e && typeof e.sum === 'number' && typeof e.count === 'number' && typeof e.bucketValues === 'object' && e.bucketValues !== null;
    if (!this.histogramIndex) {
      this.histogramIndex = new Map();
      for (const e of Object.values(internal.hashMap ?? {})) if (valid(e)) this.histogramIndex.set(key(e.labels), e);
    }
    let e = this.histogramIndex.get(key(labels));
    if (!e) {
      this.duration.zero(labels);
      e = Object.values(internal.hashMap ?? {}).find((x) => valid(x) && key(x.labels) === key(labels));
      if (!valid(e)) return undefined;
      this.histogramIndex.set(key(labels), e);
    }
    return e;
  }
}

const perRegistry = new WeakMap<Registry, ResilienceMetrics>();

/** The ResilienceMetrics of `registry` (one per registry; the logger of the first caller wins). */
export function resilienceMetrics(registry: Registry, logger: ResilienceLogger): ResilienceMetrics {
  let m = perRegistry.get(registry);
  if (!m) {
    m = new ResilienceMetrics(registry, logger);
    perRegistry.set(registry, m);
  }
  return m;
}
