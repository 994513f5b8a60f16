import type { DevLogRecord } from '../types.js';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** Same mapping as the server's log filter: OTel severity number ranges, else the text. */
export function levelName(l: Pick<DevLogRecord, 'severityNumber' | 'severityText'>): string {
  if (l.severityNumber >= 1 && l.severityNumber <= 24) return LEVELS[Math.floor((l.severityNumber - 1) / 4)] as string;
  return l.severityText.toLowerCase() || 'info';
}
