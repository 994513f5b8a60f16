import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { getJson } from '../api.js';
import { formatTime, formatValue } from '../format.js';
import { useLiveTick } from '../live.js';
import { setParams } from '../router.js';
import type { DevLogRecord } from '../types.js';
import { LevelBadge, ServiceChip } from './badges.js';
import { levelName } from './level.js';

const MAX_ROWS = 1_000;

export function LogsView({ params, services }: { params: URLSearchParams; services: readonly string[] }) {
  const filter = {
    service: params.get('service') ?? '',
    level: params.get('level') ?? '',
    text: params.get('text') ?? '',
    traceId: params.get('traceId') ?? '',
  };
  const [paused, setPaused] = useState(false);
  const tick = useLiveTick(['logs'], paused);
  const [rows, setRows] = useState<DevLogRecord[]>([]);
  const [error, setError] = useState<string>();
  const [expanded, setExpanded] = useState<number>();
  const key = JSON.stringify(filter);
  const lastKey = useRef('');
  useEffect(() => {
    const fresh = lastKey.current !== key;
    lastKey.current = key;
    const afterSeq = fresh ? undefined : rows[0]?.seq;
    getJson<{ logs: DevLogRecord[] }>('/api/logs', { ...filter, afterSeq, limit: 500 }).then(
      (r) => {
        setRows((old) => (fresh ? r.logs : [...r.logs, ...old].slice(0, MAX_ROWS)));
        setError(undefined);
      },
      (e: Error) => setError(e.message),
    );
  }, [key, tick]);
  const update = (k: string, v: string): void => setParams('logs', { ...filter, [k]: v });
  // Text fields apply on change (blur) and on Enter.
  const onEnter =
    (k: string, trim = false) =>
    (e: KeyboardEvent): void => {
      if (e.key === 'Enter') update(k, trim ? (e.target as HTMLInputElement).value.trim() : (e.target as HTMLInputElement).value);
    };
  return html`<section aria-labelledby="logs-h">
    <div class="viewhead">
      <h1 id="logs-h">Logs</h1>
      <span class="muted">${rows.length} shown · newest first</span>
      <button type="button" class=${`toggle${paused ? '' : ' on'}`} aria-pressed=${!paused} onClick=${() => setPaused(!paused)}>
        ${paused ? 'Resume live tail' : 'Live tail on'}
      </button>
    </div>
    <form class="filters" onSubmit=${(e: Event) => e.preventDefault()} aria-label="Log filters">
      <label
        >Service<select data-filter-first value=${filter.service} onChange=${(e: Event) => update('service', (e.target as HTMLSelectElement).value)}>
          <option value="">all</option>
          ${services.map((s) => html`<option value=${s}>${s}</option>`)}
        </select></label
      >
      <label
        >Level ≥<select value=${filter.level} onChange=${(e: Event) => update('level', (e.target as HTMLSelectElement).value)}>
          <option value="">any</option>
          ${['debug', 'info', 'warn', 'error', 'fatal'].map((l) => html`<option value=${l}>${l}</option>`)}
        </select></label
      >
      <label class="grow"
        >Text<input
          type="search"
          placeholder="contains…"
          value=${filter.text}
          onKeyDown=${onEnter('text')}
          onChange=${(e: Event) => update('text', (e.target as HTMLInputElement).value)}
      /></label>
      <label class="grow"
        >Trace id<input
          name="traceId"
          class="mono"
          placeholder="32 hex digits"
          value=${filter.traceId}
          pattern="[0-9a-fA-F]{32}"
          onKeyDown=${onEnter('traceId', true)}
          onChange=${(e: Event) => update('traceId', (e.target as HTMLInputElement).value.trim())}
      /></label>
      ${filter.traceId ? html`<a class="chip-link" href=${`#/traces/${filter.traceId}`}>open trace →</a>` : null}
    </form>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    <table class="grid logs" data-testid="log-list">
      <thead>
        <tr>
          <th>Time</th>
          <th>Level</th>
          <th>Service</th>
          <th>Message</th>
          <th>Trace</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map((l) => {
          const attrs = Object.entries(l.attributes);
          return html`<tr data-trace-id=${l.traceId} class=${`lvl-${levelName(l)}`}>
            <td class="mono">${formatTime(l.timeMs)}</td>
            <td><${LevelBadge} level=${levelName(l)} /></td>
            <td><${ServiceChip} name=${l.service} /></td>
            <td class="body">
              <button
                type="button"
                class="linkish body-btn"
                aria-expanded=${expanded === l.seq}
                onClick=${() => setExpanded(expanded === l.seq ? undefined : l.seq)}
              >
                ${l.body || '(empty body)'}
              </button>
              ${
                expanded === l.seq
                  ? html`<div class="kv">${attrs.map(([k, v]) => html`<span><b>${k}</b>=${formatValue(v)}</span>`)}</div>`
                  : attrs.length
                    ? html`<span class="muted small">
                        ${attrs
                          .slice(0, 6)
                          .map(([k, v]) => `${k}=${formatValue(v)}`)
                          .join(' ')}</span
                      >`
                    : null
              }
            </td>
            <td>
              ${l.traceId ? html`<a class="mono small" href=${`#/traces/${l.traceId}`} title="Open this trace">${l.traceId.slice(0, 8)}…</a>` : html`<span class="muted">–</span>`}
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
    ${rows.length === 0 && !error ? html`<p class="empty">No log records match.</p>` : null}
  </section>`;
}
