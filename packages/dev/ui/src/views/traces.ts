import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { getJson } from '../api.js';
import { formatDuration, formatTime } from '../format.js';
import { useLiveTick } from '../live.js';
import { setParams } from '../router.js';
import type { TraceSummary } from '../types.js';
import { ServiceChip, SloBadge, StatusBadge } from './badges.js';

export function TracesView({ params, services }: { params: URLSearchParams; services: readonly string[] }) {
  const filter = {
    service: params.get('service') ?? '',
    route: params.get('route') ?? '',
    status: params.get('status') ?? '',
    minDurationMs: params.get('minDurationMs') ?? '',
    slo: params.get('slo') ?? '',
  };
  const tick = useLiveTick(['spans']);
  const [traces, setTraces] = useState<TraceSummary[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    getJson<{ traces: TraceSummary[] }>('/api/traces', {
      service: filter.service,
      route: filter.route,
      status: filter.status,
      minDurationMs: filter.minDurationMs,
      limit: 300,
    }).then(
      (r) => {
        setTraces(r.traces);
        setError(undefined);
      },
      (e: Error) => setError(e.message),
    );
  }, [tick, filter.service, filter.route, filter.status, filter.minDurationMs]);
  const update = (key: string, value: string): void => setParams('traces', { ...filter, [key]: value });
  const onEnter =
    (key: string) =>
    (e: KeyboardEvent): void => {
      if (e.key === 'Enter') update(key, (e.target as HTMLInputElement).value);
    };
  const shown = (traces ?? []).filter((t) => !filter.slo || t.sloViolations.length > 0);
  const routes = [...new Set((traces ?? []).map((t) => t.route).filter(Boolean))].sort();
  const maxDuration = Math.max(1, ...shown.map((t) => t.durationMs));
  return html`<section aria-labelledby="traces-h">
    <div class="viewhead">
      <h1 id="traces-h">Traces</h1>
      <span class="muted">${shown.length} shown · newest first</span>
    </div>
    <form class="filters" onSubmit=${(e: Event) => e.preventDefault()} aria-label="Trace filters">
      <label
        >Service<select data-filter-first value=${filter.service} onChange=${(e: Event) => update('service', (e.target as HTMLSelectElement).value)}>
          <option value="">all</option>
          ${services.map((s) => html`<option value=${s}>${s}</option>`)}
        </select></label
      >
      <label
        >Route<input
          list="routes"
          placeholder="any"
          value=${filter.route}
          onKeyDown=${onEnter('route')}
          onChange=${(e: Event) => update('route', (e.target as HTMLInputElement).value)}
        /><datalist id="routes">${routes.map((r) => html`<option value=${r} />`)}</datalist></label
      >
      <label
        >Status<select value=${filter.status} onChange=${(e: Event) => update('status', (e.target as HTMLSelectElement).value)}>
          <option value="">any</option>
          <option value="ok">ok</option>
          <option value="error">error</option>
        </select></label
      >
      <label
        >Min duration (ms)<input
          type="number"
          min="0"
          step="1"
          placeholder="0"
          value=${filter.minDurationMs}
          onKeyDown=${onEnter('minDurationMs')}
          onChange=${(e: Event) => update('minDurationMs', (e.target as HTMLInputElement).value)}
      /></label>
      <label class="check"
        ><input
          type="checkbox"
          checked=${filter.slo === '1'}
          onChange=${(e: Event) => update('slo', (e.target as HTMLInputElement).checked ? '1' : '')}
        />SLO-violating only</label
      >
    </form>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    <table class="grid traces" data-testid="trace-list">
      <thead>
        <tr>
          <th>Time</th>
          <th>Service</th>
          <th>Operation</th>
          <th>Status</th>
          <th class="num">Duration</th>
          <th class="num">Spans</th>
          <th>Flags</th>
        </tr>
      </thead>
      <tbody>
        ${shown.map(
          (t) =>
            html`<tr class=${t.errorCount > 0 ? 'is-error' : t.sloViolations.length > 0 ? 'is-slo' : ''} data-trace-id=${t.traceId}>
              <td class="mono">${formatTime(t.startMs)}</td>
              <td><${ServiceChip} name=${t.service} />${t.services.length > 1 ? html`<span class="muted small"> +${t.services.length - 1}</span>` : null}</td>
              <td>
                <a class="op" href=${`#/traces/${t.traceId}`}><span class="method">${t.method}</span> ${t.route || t.name}</a>
              </td>
              <td><${StatusBadge} httpStatus=${t.httpStatus} error=${t.errorCount > 0} /></td>
              <td class="num">
                <span class="durbar" style=${`--w:${Math.max(2, (t.durationMs / maxDuration) * 100)}%`}></span>${formatDuration(t.durationMs)}
              </td>
              <td class="num">${t.spanCount}</td>
              <td>
                ${t.errorCount > 0 ? html`<span class="badge bad">${t.errorCount} error${t.errorCount > 1 ? 's' : ''}</span>` : null}<${SloBadge}
                  violations=${t.sloViolations}
                />
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${traces && shown.length === 0 ? html`<p class="empty">No traces match.</p>` : null}
  </section>`;
}
