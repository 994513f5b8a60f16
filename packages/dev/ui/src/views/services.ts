import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { getJson } from '../api.js';
import { formatCount, formatDuration, formatPercent, formatRate, formatTime } from '../format.js';
import { useLiveTick } from '../live.js';
import type { ServiceView, SloStatus } from '../types.js';
import { ServiceChip } from './badges.js';

function burn(v: number | null): string {
  return v === null ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(0);
}

function SloCard({ slo }: { slo: SloStatus }) {
  const met = slo.attainment === null ? null : slo.attainment >= slo.target;
  const budget = slo.budgetRemaining;
  const budgetPct = budget === null ? 0 : Math.max(0, Math.min(1, budget)) * 100;
  return html`<div class=${`slo-card ${met === null ? '' : met ? 'met' : 'missed'}`} data-testid=${`slo-${slo.kind}`}>
    <div class="slo-top">
      <div>
        <div class="slo-kind">${slo.kind}</div>
        <div class="slo-objective">${slo.objective}</div>
        <div class="muted small">target ${formatPercent(slo.target, 3)} over ${slo.window}</div>
      </div>
      <div class="slo-figure">
        <div class="big">${formatPercent(slo.attainment, 3)}</div>
        <div class="muted small">attained · ${formatCount(slo.bad)} bad of ${formatCount(slo.total)}</div>
      </div>
    </div>
    <div class="budget" title="error budget remaining"><span class="budget-fill" style=${`width:${budgetPct}%`}></span></div>
    <div class="small">
      error budget remaining: <b>${budget === null ? '–' : budget >= 0 ? formatPercent(budget, 1) : `none: ${burn(1 - budget)}× the budget spent`}</b>
    </div>
    <table class="burn">
      <caption>
        Burn rate (alert windows of the generated rules)
      </caption>
      <thead>
        <tr>
          <th>Severity</th>
          <th>Long</th>
          <th class="num">burn</th>
          <th>Short</th>
          <th class="num">burn</th>
          <th class="num">alert at</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${slo.burnRates.map(
          (b) =>
            html`<tr class=${b.firing ? 'firing' : ''}>
              <td>${b.severity}</td>
              <td>${b.longWindow}</td>
              <td class="num">${burn(b.longBurnRate)}×</td>
              <td>${b.shortWindow}</td>
              <td class="num">${burn(b.shortBurnRate)}×</td>
              <td class="num">${b.threshold}×</td>
              <td>${b.firing ? html`<span class="badge bad">would fire</span>` : html`<span class="badge ok">ok</span>`}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export function ServicesView({ manifest }: { manifest: string | null }) {
  const tick = useLiveTick(['spans', 'metricPoints']);
  const [data, setData] = useState<{ window: string; services: ServiceView[] }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    getJson<{ window: string; services: ServiceView[] }>('/api/services', { window: '5m' }).then(
      (d) => {
        setData(d);
        setError(undefined);
      },
      (e: Error) => setError(e.message),
    );
  }, [tick]);
  return html`<section aria-labelledby="services-h">
    <div class="viewhead">
      <h1 id="services-h">Services</h1>
      <span class="muted"
        >RED over the last ${data?.window ?? '5m'} of server
        spans${manifest ? html` · SLOs from <code>${manifest}</code>` : ' · no manifest loaded (platform dev --manifest platform.yaml)'}</span
      >
    </div>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${(data?.services ?? []).map(
      (s) =>
        html`<article class="service" data-testid=${`service-${s.service}`} aria-label=${s.service}>
          <h2><${ServiceChip} name=${s.service} />${s.inManifest ? html`<span class="badge neutral">in manifest</span>` : null}</h2>
          ${
            s.slo
              ? html`<div class="slo-panel" data-testid="slo-panel">
                  <h3>SLOs</h3>
                  <p class="muted small">
                    ${s.slo.coverageFromMs === null ? 'No requests yet.' : `From the requests held since ${formatTime(s.slo.coverageFromMs)}: windows longer than that show what is held, not the full window.`}
                  </p>
                  <div class="slo-grid">${s.slo.slos.map((slo) => html`<${SloCard} slo=${slo} />`)}</div>
                </div>`
              : null
          }
          <h3>Routes</h3>
          ${
            s.routes.length === 0
              ? html`<p class="empty">No server spans in the window.</p>`
              : html`<table class="grid red" data-testid="red-table">
                  <thead>
                    <tr>
                      <th>Route</th>
                      <th class="num">req/s</th>
                      <th class="num">requests</th>
                      <th class="num">errors</th>
                      <th class="num">p50</th>
                      <th class="num">p95</th>
                      <th class="num">p99</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${s.routes.map(
                      (r) =>
                        html`<tr>
                          <td>
                            <a href=${`#/traces?service=${encodeURIComponent(s.service)}&route=${encodeURIComponent(r.route)}`}
                              ><span class="method">${r.method}</span> ${r.route}</a
                            >
                          </td>
                          <td class="num">${formatRate(r.ratePerSecond)}</td>
                          <td class="num">${formatCount(r.requests)}</td>
                          <td class=${`num${r.errors > 0 ? ' bad-text' : ''}`}>${formatPercent(r.errorRatio, 1)}</td>
                          <td class="num">${formatDuration(r.p50Ms)}</td>
                          <td class="num">${formatDuration(r.p95Ms)}</td>
                          <td class="num">${formatDuration(r.p99Ms)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
          }
          ${
            s.metrics.length
              ? html`<details class="metrics">
                  <summary>${s.metrics.length} metrics received (OTLP)</summary>
                  <table class="grid">
                    <thead>
                      <tr>
                        <th>Name</th>
                        <th>Kind</th>
                        <th>Unit</th>
                        <th class="num">series</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${s.metrics.map(
                        (m) =>
                          html`<tr>
                            <td class="mono" title=${m.description}>${m.name}</td>
                            <td>${m.kind}</td>
                            <td>${m.unit}</td>
                            <td class="num">${m.series}</td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>
                </details>`
              : null
          }
        </article>`,
    )}
    ${data && data.services.length === 0 ? html`<p class="empty">No services yet.</p>` : null}
  </section>`;
}
