import { html } from 'htm/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { getJson } from '../api.js';
import { formatDuration, formatTime, formatValue, serviceHue } from '../format.js';
import { useLiveTick } from '../live.js';
import type { Attributes, DevLogRecord, DevSpan, TraceDetail } from '../types.js';
import { LevelBadge, ServiceChip, SloBadge, StatusBadge } from './badges.js';
import { levelName } from './level.js';
import { SpanEventRow, describeEvent } from './span-event.js';

const KIND = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

interface Row {
  readonly span: DevSpan;
  readonly depth: number;
}

/** Depth-first by start time; spans whose parent is not in the trace are roots. */
function waterfallRows(spans: readonly DevSpan[]): Row[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, DevSpan[]>();
  const roots: DevSpan[] = [];
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId)) {
      const list = children.get(s.parentSpanId) ?? [];
      list.push(s);
      children.set(s.parentSpanId, list);
    } else roots.push(s);
  }
  const rows: Row[] = [];
  const visit = (s: DevSpan, depth: number): void => {
    rows.push({ span: s, depth });
    for (const c of (children.get(s.spanId) ?? []).sort((a, b) => a.startMs - b.startMs)) visit(c, depth + 1);
  };
  for (const r of roots.sort((a, b) => a.startMs - b.startMs)) visit(r, 0);
  return rows;
}

function AttributeTable({ attributes, caption }: { attributes: Attributes; caption: string }) {
  const entries = Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return null;
  return html`<table class="attrs">
    <caption>
      ${caption}
    </caption>
    <tbody>
      ${entries.map(
        ([k, v]) =>
          html`<tr>
            <th scope="row">${k}</th>
            <td class="mono">${formatValue(v)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function TraceView({ id }: { id: string }) {
  const tick = useLiveTick(['spans', 'logs']);
  const [trace, setTrace] = useState<TraceDetail | null>();
  const [selected, setSelected] = useState<string>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    getJson<TraceDetail | null>(`/api/traces/${id}`).then(
      (t) => {
        setTrace(t ?? null);
        setError(undefined);
      },
      // 404: not held (never received, or evicted by the caps).
      (e: Error) => (e.message.startsWith('404') ? setTrace(null) : setError(e.message)),
    );
  }, [id, tick]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !(e.target instanceof HTMLInputElement)) location.hash = '#/traces';
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);
  const rows = useMemo(() => (trace ? waterfallRows(trace.spans) : []), [trace]);
  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (trace === undefined) return html`<p class="muted">Loading…</p>`;
  if (trace === null) return html`<p class="empty">Trace ${id} is not held (never received, or evicted by the caps). <a href="#/traces">Back to traces</a></p>`;
  const span = trace.spans.find((s) => s.spanId === selected) ?? trace.spans.find((s) => s.spanId === rows[0]?.span.spanId);
  const total = Math.max(trace.durationMs, 0.001);
  const logsBySpan = new Map<string, DevLogRecord[]>();
  for (const l of trace.logs) logsBySpan.set(l.spanId, [...(logsBySpan.get(l.spanId) ?? []), l]);
  return html`<section aria-labelledby="trace-h" data-testid="trace-view">
    <div class="viewhead">
      <a class="back" href="#/traces" title="Back (Esc)">← Traces</a>
      <h1 id="trace-h"><span class="method">${trace.method}</span> ${trace.route || trace.name}</h1>
      <${StatusBadge} httpStatus=${trace.httpStatus} error=${trace.errorCount > 0} /><${SloBadge} violations=${trace.sloViolations} />
    </div>
    <dl class="facts">
      <div>
        <dt>Trace</dt>
        <dd class="mono" data-testid="trace-id">${trace.traceId}</dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd class="mono">${formatTime(trace.startMs)}</dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd>${formatDuration(trace.durationMs)}</dd>
      </div>
      <div>
        <dt>Spans</dt>
        <dd>${trace.spanCount}${trace.errorCount ? html` · <span class="bad-text">${trace.errorCount} error</span>` : null}</dd>
      </div>
      <div>
        <dt>Services</dt>
        <dd>${trace.services.map((s) => html`<${ServiceChip} name=${s} /> `)}</dd>
      </div>
      <div>
        <dt>Logs</dt>
        <dd>
          <a href=${`#/logs?traceId=${trace.traceId}`} data-testid="trace-logs-link"
            >${trace.logs.length} line${trace.logs.length === 1 ? '' : 's'} in the log view →</a
          >
        </dd>
      </div>
    </dl>
    <div class="waterfall" role="list" aria-label="Span waterfall" data-testid="waterfall">
      <div class="wf-head" aria-hidden="true">
        <span>Span</span><span class="wf-scale"><span>0</span><span>${formatDuration(total / 2)}</span><span>${formatDuration(total)}</span></span>
      </div>
      ${rows.map(({ span: s, depth }) => {
        const left = ((s.startMs - trace.startMs) / total) * 100;
        const width = Math.max(0.4, (s.durationMs / total) * 100);
        const isSelected = s.spanId === span?.spanId;
        const error = s.statusCode === 2;
        return html`<button
          type="button"
          role="listitem"
          class=${`wf-row${isSelected ? ' selected' : ''}${error ? ' error' : ''}`}
          aria-pressed=${isSelected}
          onClick=${() => setSelected(s.spanId)}
          data-span-name=${s.name}
          data-kind=${KIND[s.kind] ?? s.kind}
        >
          <span class="wf-label" style=${`padding-left:${depth * 16 + 8}px`}>
            <span class="svc-dot" style=${`--hue:${serviceHue(s.service)}`} title=${s.service}></span>
            <span class="wf-name">${s.name}</span><span class="kind">${KIND[s.kind] ?? s.kind}</span>
            ${s.events.length ? html`<span class="ev-count" title=${s.events.map((e) => describeEvent(e).title).join('\n')}>${s.events.length} event${s.events.length > 1 ? 's' : ''}</span>` : null}
            ${(logsBySpan.get(s.spanId)?.length ?? 0) > 0 ? html`<span class="log-count">${logsBySpan.get(s.spanId)?.length} log</span>` : null}
          </span>
          <span class="wf-track">
            <span class="wf-bar" style=${`left:${left}%;width:${width}%;--hue:${serviceHue(s.service)}`}>
              ${s.events.map((e) => html`<span class=${`wf-mark ${describeEvent(e).kind}`} style=${`left:${s.durationMs > 0 ? ((e.timeMs - s.startMs) / s.durationMs) * 100 : 0}%`}></span>`)}
            </span>
            ${
              left + width > 85
                ? html`<span class="wf-dur inside" style=${`right:${100 - left - width}%`}>${formatDuration(s.durationMs)}</span>`
                : html`<span class="wf-dur" style=${`left:${left + width}%`}>${formatDuration(s.durationMs)}</span>`
            }
          </span>
        </button>`;
      })}
    </div>
    ${
      span
        ? html`<div class="detail" data-testid="span-detail">
            <h2>
              ${span.name}
              <span class="muted small"
                >${KIND[span.kind] ?? span.kind} · ${span.service} ·
                ${formatDuration(span.durationMs)}${span.statusMessage ? ` · ${span.statusMessage}` : ''}</span
              >
            </h2>
            ${
              span.events.length
                ? html`<h3>Events</h3>
                    <ol class="events">
                      ${span.events.map((e) => html`<${SpanEventRow} event=${e} spanStartMs=${span.startMs} />`)}
                    </ol>`
                : null
            }
            <div class="attr-cols">
              <${AttributeTable} attributes=${span.attributes} caption="Span attributes" />
              <${AttributeTable} attributes=${span.resource} caption="Resource" />
            </div>
            ${span.truncated ? html`<p class="muted small">Some attributes, events or long values were cut by the per-span bounds.</p>` : null}
          </div>`
        : null
    }
    <h2>Logs in this trace</h2>
    ${
      trace.logs.length === 0
        ? html`<p class="empty">No log records with this trace id.</p>`
        : html`<table class="grid logs" data-testid="trace-logs">
            <tbody>
              ${trace.logs.map(
                (l) =>
                  html`<tr>
                    <td class="mono">${formatTime(l.timeMs)}</td>
                    <td><${LevelBadge} level=${levelName(l)} /></td>
                    <td><${ServiceChip} name=${l.service} /></td>
                    <td class="body">
                      ${l.body}${
                        Object.keys(l.attributes).length
                          ? html` <span class="muted small"
                              >${Object.entries(l.attributes)
                                .slice(0, 8)
                                .map(([k, v]) => `${k}=${formatValue(v)}`)
                                .join(' ')}</span
                            >`
                          : null
                      }
                    </td>
                    <td><button type="button" class="linkish" onClick=${() => setSelected(l.spanId)} title="Select the span that logged this">span</button></td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}
