import { html } from 'htm/preact';
import { serviceHue } from '../format.js';

export function ServiceChip({ name }: { name: string }) {
  return html`<span class="svc" style=${`--hue:${serviceHue(name)}`}>${name}</span>`;
}

export function StatusBadge({ httpStatus, error }: { httpStatus: number | null; error: boolean }) {
  const cls = error || (httpStatus ?? 0) >= 500 ? 'bad' : (httpStatus ?? 0) >= 400 ? 'warn' : 'ok';
  return html`<span class=${`badge ${cls}`}>${httpStatus ?? (error ? 'error' : 'ok')}</span>`;
}

export function SloBadge({ violations }: { violations: ReadonlyArray<{ service: string; slo: string }> }) {
  if (violations.length === 0) return null;
  return html`<span class="badge slo" title=${violations.map((v) => `${v.service}: counts against the ${v.slo} SLO`).join('\n')}
    >SLO ${violations.map((v) => v.slo).join(' + ')}</span
  >`;
}

export function LevelBadge({ level }: { level: string }) {
  return html`<span class=${`level ${level}`}>${level}</span>`;
}
