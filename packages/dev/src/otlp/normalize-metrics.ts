import type { DevMetricPoint, MetricKind } from '../model.js';
import { boundString, keyValues, listOf, nanosToMs, str, toNumber, type Cut } from './any-value.js';
import { serviceOf } from './resource.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});
const own = (o: Obj, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key) && o[key] !== null && o[key] !== undefined;

const KINDS: ReadonlyArray<[key: string, kind: MetricKind]> = [
  ['gauge', 'gauge'],
  ['sum', 'sum'],
  ['histogram', 'histogram'],
  ['exponentialHistogram', 'exponential_histogram'],
  ['summary', 'summary'],
];

/** ExportMetricsServiceRequest (either decoding) to one point per data point. */
export function normalizeMetrics(request: object): DevMetricPoint[] {
  const points: DevMetricPoint[] = [];
  for (const rm of listOf((request as Obj).resourceMetrics)) {
    const cut: Cut = { truncated: false };
    const service = serviceOf(keyValues(obj(obj(rm).resource).attributes, cut));
    for (const sm of listOf(obj(rm).scopeMetrics)) {
      for (const raw of listOf(obj(sm).metrics)) {
        const m = obj(raw);
        const found = KINDS.find(([key]) => own(m, key));
        const kind: MetricKind = found?.[1] ?? 'unknown';
        const name = boundString(str(m.name), cut, 256);
        const description = boundString(str(m.description), cut, 512);
        const unit = boundString(str(m.unit), cut, 64);
        for (const p of listOf(found ? obj(m[found[0]]).dataPoints : [])) {
          const dp = obj(p);
          const numeric = kind === 'gauge' || kind === 'sum';
          const value = numeric ? (own(dp, 'asDouble') ? Number(dp.asDouble) : toNumber(dp.asInt)) : Number(dp.sum ?? 0);
          const point: DevMetricPoint = {
            service,
            name,
            description,
            unit,
            kind,
            timeMs: nanosToMs(dp.timeUnixNano),
            attributes: keyValues(dp.attributes, cut),
            value: Number.isFinite(value) ? value : 0,
            ...(numeric ? {} : { count: toNumber(dp.count) }),
          };
          points.push(point);
        }
      }
    }
  }
  return points;
}
