/**
 * The metrics a service exports, one entry per (service, metric name) with its latest points:
 * enough to see that metrics arrive and what they say, bounded by `maxSeries` entries.
 */
import type { DevMetricPoint, MetricKind } from '../model.js';

export interface MetricEntry {
  readonly service: string;
  readonly name: string;
  readonly kind: MetricKind;
  readonly unit: string;
  readonly description: string;
  /** Latest point per attribute set (at most MAX_POINTS_PER_METRIC). */
  readonly latest: Map<string, DevMetricPoint>;
  updatedMs: number;
}

const MAX_POINTS_PER_METRIC = 50;

export class MetricCatalog {
  private readonly entries = new Map<string, MetricEntry>();
  droppedPoints = 0;

  constructor(readonly maxSeries: number) {}

  get size(): number {
    return this.entries.size;
  }

  add(point: DevMetricPoint): void {
    const key = `${point.service}\u0000${point.name}`;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      if (this.entries.size >= this.maxSeries) {
        this.droppedPoints++;
        return;
      }
      entry = { service: point.service, name: point.name, kind: point.kind, unit: point.unit, description: point.description, latest: new Map(), updatedMs: 0 };
      this.entries.set(key, entry);
    }
    const seriesKey = JSON.stringify(point.attributes);
    if (!entry.latest.has(seriesKey) && entry.latest.size >= MAX_POINTS_PER_METRIC) {
      this.droppedPoints++;
      return;
    }
    entry.latest.set(seriesKey, point);
    entry.updatedMs = Math.max(entry.updatedMs, point.timeMs);
  }

  forService(service: string): MetricEntry[] {
    return [...this.entries.values()].filter((e) => e.service === service).sort((a, b) => a.name.localeCompare(b.name));
  }
}
