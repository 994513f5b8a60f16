/** The logs view: filtered, newest first, with a cursor (`afterSeq`) for the live tail. */
import type { DevLogRecord } from '../model.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

export const SEVERITY_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];

export interface LogFilter {
  readonly service?: string;
  /** Minimum level: `warn` shows warn, error and fatal. */
  readonly level?: SeverityLevel;
  /** Case-insensitive substring of the body (or of an attribute value). */
  readonly text?: string;
  readonly traceId?: string;
  /** Only records that arrived after this cursor. */
  readonly afterSeq?: number;
  readonly limit?: number;
}

/** OTel severity number ranges: 1-4 trace, 5-8 debug, 9-12 info, 13-16 warn, 17-20 error, 21-24 fatal. */
export function levelOf(record: Pick<DevLogRecord, 'severityNumber' | 'severityText'>): SeverityLevel {
  const n = record.severityNumber;
  if (n >= 1 && n <= 24) return SEVERITY_LEVELS[Math.floor((n - 1) / 4)] as SeverityLevel;
  const text = record.severityText.toLowerCase();
  if (text.startsWith('warn')) return 'warn';
  if (text.startsWith('err')) return 'error';
  if (text.startsWith('fatal') || text.startsWith('crit')) return 'fatal';
  if (text.startsWith('debug')) return 'debug';
  if (text.startsWith('trace')) return 'trace';
  return 'info';
}

export function queryLogs(store: TelemetryStore, filter: LogFilter): DevLogRecord[] {
  const limit = Math.min(Math.max(1, filter.limit ?? 300), 2_000);
  const minLevel = filter.level ? SEVERITY_LEVELS.indexOf(filter.level) : 0;
  const text = filter.text?.toLowerCase();
  const afterSeq = filter.afterSeq ?? 0;
  return store.logs.findNewest((l) => {
    if (l.seq <= afterSeq) return false;
    if (filter.service && l.service !== filter.service) return false;
    if (filter.traceId && l.traceId !== filter.traceId) return false;
    if (minLevel > 0 && SEVERITY_LEVELS.indexOf(levelOf(l)) < minLevel) return false;
    if (text && !l.body.toLowerCase().includes(text) && !Object.values(l.attributes).some((v) => typeof v === 'string' && v.toLowerCase().includes(text)))
      return false;
    return true;
  }, limit);
}
