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
  type MetricDefinition,
} from '@platform/conventions';
import type { Counter, Gauge, Registry } from 'prom-client';
import { getOrCreateCounter, getOrCreateGauge } from '../metrics/get-or-create-metric.js';
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
 * registry reads them when it is collected (scrape), through the AccumulatedMetric collectors.
 */
export class DependencyTelemetry {
  /** calls by CALL_OUTCOMES index, retries, budget exhaustions, histogram buckets (per bucket, not cumulative; last = +Inf)/sum (ms)/count. */
  readonly v = new Float64Array(SLOTS);

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

/** One exposed sample, in the shape prom-client's Registry renders (`metricName` for histogram series). */
interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/**
 * A metric the Registry renders like its own (prom-client's metric protocol: `name`, `help`,
 * `type`, `aggregator`, `get()`, `reset()`), whose samples are read from the dependencies'
 * accumulators at collection time. No prom-client metric object, no private state written, no
 * per-scrape copying of deltas. `name` stays a plain property: prom-client renames counters in
 * place for OpenMetrics (see render-metrics.ts).
 */
export class AccumulatedMetric {
  readonly aggregator = 'sum';

  constructor(
    public name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
    private readonly samples: (name: string) => Sample[],
    private readonly clear: () => void,
  ) {}

  get(): Promise<{ name: string; help: string; type: string; values: Sample[]; aggregator: string }> {
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values: this.samples(this.name), aggregator: this.aggregator });
  }

  /** `registry.resetMetrics()`: every accumulator back to 0. */
  reset(): void {
    this.clear();
  }
}

/** The six resilience metrics on one Registry and the dependencies feeding them. */
export class ResilienceMetrics {
  readonly state: Gauge<string>;
  readonly transitions: Counter<string>;
  private readonly deps = new Map<string, DependencyTelemetry>();

  constructor(
    readonly registry: Registry,
    readonly logger: ResilienceLogger,
  ) {
    // Transitions are rare: plain prom-client metrics. Calls, attempts and durations are read
    // from the accumulators: every dependency exposes all its call outcomes (at 0 until the
    // first event, so rate() is 0 rather than "no data"), an attempt histogram series once it
    // has an observation.
    this.register(RESILIENCE_CALLS, 'counter', () => this.counterSamples(OFF_CALLS, CALL_OUTCOMES));
    this.register(RESILIENCE_RETRY_ATTEMPTS, 'counter', () => this.counterSamples(OFF_RETRIES, undefined));
    this.register(RESILIENCE_RETRY_BUDGET_EXHAUSTED, 'counter', () => this.counterSamples(OFF_BUDGET, undefined));
    this.register(RESILIENCE_ATTEMPT_DURATION, 'histogram', (name) => this.histogramSamples(name));
    this.state = getOrCreateGauge(registry, RESILIENCE_BREAKER_STATE).metric;
    this.transitions = getOrCreateCounter(registry, RESILIENCE_BREAKER_TRANSITIONS).metric;
  }

  dependency(name: string): DependencyTelemetry {
    let d = this.deps.get(name);
    if (!d) {
      d = new DependencyTelemetry(name, this);
      this.deps.set(name, d);
    }
    return d;
  }

  private register(def: MetricDefinition, type: 'counter' | 'histogram', samples: (name: string) => Sample[]): void {
    if (this.registry.getSingleMetric(def.name) !== undefined) {
      // Someone else's metric holds the name: leave it alone rather than throw into the app.
      this.logger.warn({ metric: def.name }, `resilience metric ${def.name} is already registered by other code; not exposing it`);
      return;
    }
    const metric = new AccumulatedMetric(def.name, def.help, type, samples, () => {
      for (const d of this.deps.values()) d.v.fill(0);
    });
    this.registry.registerMetric(metric as unknown as Counter<string>);
  }

  private counterSamples(offset: number, outcomes: readonly string[] | undefined): Sample[] {
    const out: Sample[] = [];
    for (const d of this.deps.values()) {
      if (outcomes === undefined) out.push({ labels: { [LABEL.dependency]: d.dependency }, value: d.v[offset]! });
      else
        for (let o = 0; o < outcomes.length; o++)
          out.push({ labels: { [LABEL.dependency]: d.dependency, [LABEL.outcome]: outcomes[o]! }, value: d.v[offset + o]! });
    }
    return out;
  }

  /** prom-client's histogram exposition: cumulative `_bucket{le}` (le first), `+Inf`, `_sum` (seconds), `_count`. */
  private histogramSamples(name: string): Sample[] {
    const out: Sample[] = [];
    for (const d of this.deps.values()) {
      const v = d.v;
      for (let o = 0; o < ATTEMPT_OUTCOMES.length; o++) {
        const count = v[OFF_COUNT + o]!;
        if (count === 0) continue;
        const labels = { [LABEL.dependency]: d.dependency, [LABEL.outcome]: ATTEMPT_OUTCOMES[o]! };
        let cumulative = 0;
        for (let b = 0; b < BOUNDS_S.length; b++) {
          cumulative += v[OFF_BUCKETS + o * NB + b]!;
          out.push({ labels: { le: BOUNDS_S[b]!, ...labels }, value: cumulative, metricName: `${name}_bucket` });
        }
        out.push({ labels: { le: '+Inf', ...labels }, value: count, metricName: `${name}_bucket` });
        out.push({ labels, value: v[OFF_SUM + o]! / 1000, metricName: `${name}_sum` });
        out.push({ labels, value: count, metricName: `${name}_count` });
      }
    }
    return out;
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
}

/**
 * One ResilienceMetrics per registry, kept under a global symbol so the ESM and the CommonJS
 * build loaded in one process feed the same collectors (as they share the SDK's registry).
 */
const kPerRegistry = Symbol.for('@platform/telemetry.resilience.metrics');
const perRegistry: WeakMap<Registry, ResilienceMetrics> =
  ((globalThis as Record<symbol, unknown>)[kPerRegistry] as WeakMap<Registry, ResilienceMetrics> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[kPerRegistry] = new WeakMap<Registry, ResilienceMetrics>());

/** The ResilienceMetrics of `registry` (one per registry; the logger of the first caller wins). */
export function resilienceMetrics(registry: Registry, logger: ResilienceLogger): ResilienceMetrics {
  let m = perRegistry.get(registry);
  if (!m) {
    m = new ResilienceMetrics(registry, logger);
    perRegistry.set(registry, m);
  }
  return m;
}
