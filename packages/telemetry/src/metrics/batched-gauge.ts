/**
 * An up/down gauge for the per-request hot path, as a prom-client custom metric rendered by the
 * Registry exactly as a prom-client `Gauge` with the same `inc`/`dec` calls: the caller holds a
 * series (one per distinct label values) and adds to a number, instead of prom-client hashing
 * and validating the label object on each `inc()`/`dec()`.
 */
export class GaugeSeries {
  value = 0;
  constructor(readonly labels: Readonly<Record<string, string | number>>) {}
}

export class BatchedGauge {
  readonly type = 'gauge';
  readonly aggregator = 'sum';
  private series = new Map<string, GaugeSeries>();

  constructor(
    public name: string,
    readonly help: string,
  ) {}

  /** The series `key` names, created with `labels()` (at 0) the first time. */
  seriesFor(key: string, labels: () => Record<string, string | number>): GaugeSeries {
    let s = this.series.get(key);
    if (s === undefined) {
      s = new GaugeSeries(labels());
      this.series.set(key, s);
    }
    return s;
  }

  /** prom-client Gauge's `get()` shape. */
  get(): Promise<{
    name: string;
    help: string;
    type: string;
    values: { value: number; labels: Readonly<Record<string, string | number>> }[];
    aggregator: string;
  }> {
    const values = [...this.series.values()].map((s) => ({ value: s.value, labels: s.labels }));
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }

  reset(): void {
    this.series = new Map();
  }
}
