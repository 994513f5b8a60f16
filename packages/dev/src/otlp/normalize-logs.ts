import type { DevLogRecord } from '../model.js';
import { anyValue, bodyText, boundString, idToHex, keyValues, listOf, nanosToMs, str, toNumber, type Cut } from './any-value.js';
import { ITEM_LIMITS } from './limits.js';
import { serviceOf } from './resource.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});

/** ExportLogsServiceRequest (either decoding) to log records; time falls back to the observed time, then to now. */
export function normalizeLogs(request: object): Array<Omit<DevLogRecord, 'seq'>> {
  const logs: Array<Omit<DevLogRecord, 'seq'>> = [];
  const now = Date.now();
  for (const rl of listOf((request as Obj).resourceLogs)) {
    const cut: Cut = { truncated: false };
    const resource = keyValues(obj(obj(rl).resource).attributes, cut);
    const service = serviceOf(resource);
    for (const sl of listOf(obj(rl).scopeLogs)) {
      const scope = str(obj(obj(sl).scope).name);
      for (const raw of listOf(obj(sl).logRecords)) {
        const l = obj(raw);
        const timeMs = nanosToMs(l.timeUnixNano) || nanosToMs(l.observedTimeUnixNano) || now;
        logs.push({
          timeMs,
          severityNumber: toNumber(l.severityNumber),
          severityText: boundString(str(l.severityText), cut, 32),
          body: boundString(bodyText(anyValue(l.body, cut)), cut, ITEM_LIMITS.maxBodyLength),
          service,
          scope,
          traceId: idToHex(l.traceId, 16),
          spanId: idToHex(l.spanId, 8),
          attributes: keyValues(l.attributes, cut),
          resource,
        });
      }
    }
  }
  return logs;
}
