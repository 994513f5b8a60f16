/**
 * A histogram for the per-request hot path, as a prom-client custom metric (the metric protocol
 * the Registry reads: `name`, `help`, `type`, `aggregator`, `get()`, `getForPromString()`,
 * `reset()`), rendered by the Registry exactly as a prom-client `Histogram` with the same
 * observations (series order, label order, cumulative buckets, `+Inf`, `_sum`, `_count`, and in
 * OpenMetrics one exemplar per bucket: the last observation that fell in it).
 *
 * Why: prom-client's `observe()` hashes the label object on every call (sorting and joining the
 * label names and values), twice with exemplars, validates it, and allocates an exemplar label
 * set: about a microsecond a request. Here the caller holds a series (looked up once per
 * distinct label values by a key it builds) and an observation is array arithmetic: counts per
 * bucket in a Float64Array, the bucket's exemplar ids, value and time in plain arrays. Objects
 * in prom-client's shape are built only when the registry is collected (a scrape).
 */

/** An exemplar as prom-client's Registry renders it. */
interface ExemplarView {
  labelSet: Record<string, string>;
  value: number;
  timestamp: number;
}

/** One sample in prom-client's collected shape (`getForPromString`: series labels shared). */
interface SharedSample {
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string | number>;
  value: number;
  metricName: string;
  exemplar: ExemplarView | null | undefined;
}

/** One sample as `get()` returns it (labels splayed: `le` first, then the series labels). */
interface SplayedSample {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
  exemplar: ExemplarView | null | undefined;
}

/** The label values of one series and its accumulated observations. */
export class HistogramSeries {
  /** Per bucket (not cumulative), the last one `+Inf`. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  /** Per bucket, the exemplar of the last observation that landed there (undefined: none yet). */
  private readonly exemplarTraceIds: (string | undefined)[];
  private readonly exemplarSpanIds: string[];
  private readonly exemplarValues: Float64Array;
  private readonly exemplarTimes: Float64Array;

  constructor(
    /** The series' labels, in the order they are rendered. */
    readonly labels: Readonly<Record<string, string | number>>,
    private readonly bounds: readonly number[],
    exemplars: boolean,
  ) {
    const n = bounds.length + 1;
    this.counts = new Float64Array(n);
    this.exemplarTraceIds = exemplars ? new Array<string | undefined>(n).fill(undefined) : [];
    this.exemplarSpanIds = exemplars ? new Array<string>(n).fill('') : [];
    this.exemplarValues = new Float64Array(exemplars ? n : 0);
    this.exemplarTimes = new Float64Array(exemplars ? n : 0);
  }

  /**
   * Records `value` (non-finite values are ignored: prom-client throws on them), with the
   * trace and span ids of the request as the bucket's exemplar when given and exemplars are on.
   */
  observe(value: number, traceId?: string, spanId?: string): void {
    if (!Number.isFinite(value)) return;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]! += 1;
    this.sum += value;
    this.count += 1;
    if (traceId !== undefined && spanId !== undefined && this.exemplarValues.length > 0) {
      this.exemplarTraceIds[i] = traceId;
      this.exemplarSpanIds[i] = spanId;
      this.exemplarValues[i] = value;
      this.exemplarTimes[i] = Date.now() / 1000;
    }
  }

  /** The exemplar of bucket `i` as prom-client renders it: null when none (or exemplars off). */
  exemplar(i: number): ExemplarView | null {
    const traceId = this.exemplarTraceIds[i];
    if (traceId === undefined) return null;
    return { labelSet: { trace_id: traceId, span_id: this.exemplarSpanIds[i]! }, value: this.exemplarValues[i]!, timestamp: this.exemplarTimes[i]! };
  }
}

export class BatchedHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private series = new Map<string, HistogramSeries>();

  constructor(
    /** A plain property: the Registry reads it (and would rename a counter in place; not this). */
    public name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
    private readonly exemplars: boolean,
  ) {}

  /**
   * The series `key` names, created with `labels()` the first time. `key` must identify the
   * label values (the caller builds it without allocating a label object per call).
   */
  seriesFor(key: string, labels: () => Record<string, string | number>): HistogramSeries {
    let s = this.series.get(key);
    if (s === undefined) {
      s = new HistogramSeries(labels(), this.bounds, this.exemplars);
      this.series.set(key, s);
    }
    return s;
  }

  /** What the Registry renders: prom-client Histogram's `getForPromString()` shape. */
  getForPromString(): Promise<{ name: string; help: string; type: string; values: SharedSample[]; aggregator: string }> {
    const bucket = `${this.name}_bucket`;
    const values: SharedSample[] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += s.counts[i]!;
        values.push({ labels: { le: this.bounds[i]! }, sharedLabels: s.labels, value: cumulative, metricName: bucket, exemplar: s.exemplar(i) });
      }
      // prom-client keeps no exemplar slot for +Inf: undefined until an observation lands there.
      const infExemplar = s.exemplar(this.bounds.length) ?? (this.exemplars ? undefined : null);
      values.push({ labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: bucket, exemplar: infExemplar });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum`, exemplar: undefined });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count`, exemplar: undefined });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }

  /** prom-client Histogram's `get()` shape (JSON, aggregation across workers): labels splayed. */
  async get(): Promise<{ name: string; help: string; type: string; values: SplayedSample[]; aggregator: string }> {
    const data = await this.getForPromString();
    const values = data.values.map(({ labels, sharedLabels, ...rest }) => ({ ...rest, labels: Object.assign(labels, sharedLabels) }));
    return { ...data, values };
  }

  /** `registry.resetMetrics()`: every series dropped, as prom-client's reset does. */
  reset(): void {
    this.series = new Map();
  }
}
