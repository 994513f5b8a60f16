import { html, render } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { getJson } from './api.js';
import { formatCount } from './format.js';
import { startLive, useConnected, useLiveTick } from './live.js';
import { useRoute } from './router.js';
import type { StatsResponse } from './types.js';
import { LogsView } from './views/logs.js';
import { ServicesView } from './views/services.js';
import { TraceView } from './views/trace.js';
import { TracesView } from './views/traces.js';

function useStats(): StatsResponse | undefined {
  const tick = useLiveTick(['spans', 'logs', 'metricPoints']);
  const [stats, setStats] = useState<StatsResponse>();
  useEffect(() => {
    getJson<StatsResponse>('/api/stats').then(setStats, () => undefined);
  }, [tick]);
  return stats;
}

function Header({ view, stats }: { view: string; stats: StatsResponse | undefined }) {
  const connected = useConnected();
  const tab = (id: string, label: string, key: string) =>
    html`<a
      href=${`#/${id}`}
      class=${`tab${view === id || (view === 'trace' && id === 'traces') ? ' active' : ''}`}
      aria-current=${view === id ? 'page' : undefined}
      accesskey=${key}
      >${label}</a
    >`;
  const s = stats?.store;
  const dropped = s ? s.dropped.spans + s.dropped.logs + s.dropped.traces : 0;
  return html`<header class="topbar">
    <div class="brand"><span class="logo" aria-hidden="true"></span>platform <b>dev</b></div>
    <nav class="tabs" aria-label="Views">${tab('traces', 'Traces', 't')}${tab('logs', 'Logs', 'l')}${tab('services', 'Services', 's')}</nav>
    <div class="status" aria-live="polite">
      ${
        s
          ? html`<span class="stat" title=${`caps: ${formatCount(s.caps.maxTraces)} traces, ${formatCount(s.caps.maxSpans)} spans`}
                ><b>${formatCount(s.traces)}</b> traces · <b>${formatCount(s.spans)}</b> spans</span
              >
              <span class="stat" title=${`cap: ${formatCount(s.caps.maxLogs)} log records`}><b>${formatCount(s.logs)}</b> logs</span>
              <span
                class=${`stat${dropped > 0 ? ' warn' : ''}`}
                data-testid="dropped"
                title="evicted by the memory caps (--max-traces, --max-spans, --max-logs)"
                >dropped: ${formatCount(s.dropped.traces)} traces · ${formatCount(s.dropped.spans)} spans · ${formatCount(s.dropped.logs)} logs</span
              >`
          : null
      }
      ${stats?.forward ? html`<span class=${`stat${stats.forward.failed + stats.forward.dropped > 0 ? ' warn' : ''}`} title=${stats.forward.lastError ?? ''}>→ ${stats.forward.endpoint}: ${formatCount(stats.forward.forwarded)} sent</span>` : null}
      <span class=${`live${connected ? ' on' : ''}`} title=${connected ? 'live updates connected' : 'live updates disconnected'}
        >${connected ? 'live' : 'offline'}</span
      >
    </div>
  </header>`;
}

function EmptyHint({ stats }: { stats: StatsResponse | undefined }) {
  if (!stats || stats.store.received.spans + stats.store.received.logs > 0) return null;
  return html`<div class="hint">
    Waiting for telemetry. Point a service at the receiver: <code>OTEL_EXPORTER_OTLP_ENDPOINT=${stats.receiver.otlpUrl}</code>
  </div>`;
}

function App() {
  const route = useRoute();
  const stats = useStats();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null;
      const typing = target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA');
      if (e.key === '/' && !typing) {
        const first = document.querySelector<HTMLElement>('[data-filter-first]');
        if (first) {
          e.preventDefault();
          first.focus();
        }
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);
  let body;
  if (route.view === 'trace') body = html`<${TraceView} id=${route.id ?? ''} />`;
  else if (route.view === 'logs') body = html`<${LogsView} params=${route.params} services=${stats?.services ?? []} />`;
  else if (route.view === 'services') body = html`<${ServicesView} manifest=${stats?.manifest ?? null} />`;
  else body = html`<${TracesView} params=${route.params} services=${stats?.services ?? []} />`;
  return html`<${Header} view=${route.view} stats=${stats} />
    <main id="main"><${EmptyHint} stats=${stats} />${body}</main>`;
}

startLive();
render(html`<${App} />`, document.getElementById('app') as HTMLElement);
