import type { DevSpan, SpanEvent } from '../model.js';
import { boundString, idToHex, keyValues, listOf, nanosToMs, str, toNumber, type Cut } from './any-value.js';
import { ITEM_LIMITS } from './limits.js';
import { serviceOf } from './resource.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});

/** ExportTraceServiceRequest (either decoding) to spans; spans without a valid trace or span id are skipped. */
export function normalizeTraces(request: object): DevSpan[] {
  const spans: DevSpan[] = [];
  for (const rs of listOf((request as Obj).resourceSpans)) {
    const resourceCut: Cut = { truncated: false };
    const resource = keyValues(obj(obj(rs).resource).attributes, resourceCut);
    const service = serviceOf(resource);
    for (const ss of listOf(obj(rs).scopeSpans)) {
      const scope = str(obj(obj(ss).scope).name);
      for (const raw of listOf(obj(ss).spans)) {
        const s = obj(raw);
        const traceId = idToHex(s.traceId, 16);
        const spanId = idToHex(s.spanId, 8);
        if (traceId === '' || spanId === '') continue;
        const cut: Cut = { truncated: resourceCut.truncated };
        const startMs = nanosToMs(s.startTimeUnixNano);
        const endMs = nanosToMs(s.endTimeUnixNano);
        const rawEvents = listOf(s.events);
        if (rawEvents.length > ITEM_LIMITS.maxEvents) cut.truncated = true;
        const events: SpanEvent[] = rawEvents.slice(0, ITEM_LIMITS.maxEvents).map((e) => ({
          timeMs: nanosToMs(obj(e).timeUnixNano),
          name: boundString(str(obj(e).name), cut, 256),
          attributes: keyValues(obj(e).attributes, cut),
        }));
        const status = obj(s.status);
        spans.push({
          traceId,
          spanId,
          parentSpanId: idToHex(s.parentSpanId, 8),
          name: boundString(str(s.name), cut, 512),
          kind: toNumber(s.kind),
          service,
          scope,
          startMs,
          durationMs: endMs >= startMs ? endMs - startMs : 0,
          statusCode: toNumber(status.code),
          statusMessage: boundString(str(status.message), cut),
          attributes: keyValues(s.attributes, cut),
          resource,
          events,
          linkCount: listOf(s.links).length,
          truncated: cut.truncated,
        });
      }
    }
  }
  return spans;
}
