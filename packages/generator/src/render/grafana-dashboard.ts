import {
  HTTP_SERVER_ACTIVE_REQUESTS,
  LABEL,
  NODEJS_EVENTLOOP_DELAY_P99,
  NODEJS_EVENTLOOP_UTILIZATION,
  PROCESS_CPU_SECONDS,
  PROCESS_RESIDENT_MEMORY,
  RESILIENCE_BREAKER_STATE,
  RESILIENCE_CALLS,
  RESILIENCE_RETRY_ATTEMPTS,
  RESILIENCE_RETRY_BUDGET_EXHAUSTED,
  BREAKER_STATE_VALUE,
  V8JS_GC_DURATION,
  V8JS_MEMORY_HEAP_USED,
  histogramSeries,
} from '@platform/conventions';
import { round } from '../round.js';
import type { AvailabilitySloModel, LatencySloModel, PlatformModel, ServiceModel } from '../model.js';
import {
  HTTP_SERVER,
  availabilityErrorRatio,
  availabilityErrorShare,
  latencyErrorRatio,
  latencyErrorShare,
  quantile,
  requestRate,
  selector,
  trustedSource,
  type Matcher,
} from '../promql/expressions.js';
import type {
  DashboardJson,
  DashboardLinkJson,
  DataSourceRefJson,
  FieldDefaultsJson,
  GridPosJson,
  PanelJson,
  PanelQueryJson,
  RowPanelJson,
  ValueMappingJson,
  VariableJson,
} from './grafana-json.js';
import { burnThresholds, type BurnThreshold } from './prometheus-rules.js';

export const GRAFANA_SCHEMA_VERSION = 42;
export const DATASOURCE_UID = { prometheus: 'prometheus', loki: 'loki' } as const;
export const OVERVIEW_UID = 'platform-overview';
const RATE = '$__rate_interval';
const PROM: DataSourceRefJson = { type: 'prometheus', uid: '${datasource}' };

interface Target {
  expr: string;
  legend: string;
  exemplar?: boolean;
}
interface PanelSpec {
  title: string;
  type: 'timeseries' | 'stat' | 'state-timeline' | 'logs';
  unit: string;
  width: number;
  height?: number;
  targets: Target[];
  description?: string;
  /** Threshold steps above the base colour: [value, colour]. */
  thresholds?: Array<[number, string]>;
  baseColor?: string;
  mappings?: ValueMappingJson[];
  decimals?: number;
  min?: number;
  max?: number;
  datasource?: DataSourceRefJson;
}

export function dashboardUid(service: string): string {
  if (service.length <= 36) return `svc-${service}`;
  let h = 0;
  for (const ch of service) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return `svc-${service.slice(0, 27)}-${h.toString(16).padStart(8, '0')}`;
}

/** Places panels in 24-column rows and numbers them: deterministic ids and grid positions. */
class Layout {
  readonly panels: Array<PanelJson | RowPanelJson> = [];
  private id = 1;
  private x = 0;
  private y = 0;
  private rowHeight = 0;

  row(title: string): void {
    this.newLine();
    this.panels.push({ type: 'row', title, id: this.id++, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: this.y }, panels: [] });
    this.y += 1;
  }

  add(spec: PanelSpec): void {
    const h = spec.height ?? 8;
    if (this.x + spec.width > 24) this.newLine();
    this.panels.push(renderPanel(spec, this.id++, { h, w: spec.width, x: this.x, y: this.y }));
    this.x += spec.width;
    this.rowHeight = Math.max(this.rowHeight, h);
  }

  private newLine(): void {
    this.y += this.rowHeight;
    this.x = 0;
    this.rowHeight = 0;
  }
}

function renderPanel(spec: PanelSpec, id: number, gridPos: GridPosJson): PanelJson {
  const datasource = spec.datasource ?? PROM;
  const steps = [{ color: spec.baseColor ?? 'green', value: null }, ...(spec.thresholds ?? []).map(([value, color]) => ({ color, value }))];
  const defaults: FieldDefaultsJson = { unit: spec.unit, thresholds: { mode: 'absolute', steps } };
  if (spec.decimals !== undefined) defaults.decimals = spec.decimals;
  if (spec.min !== undefined) defaults.min = spec.min;
  if (spec.max !== undefined) defaults.max = spec.max;
  if (spec.mappings) defaults.mappings = spec.mappings;
  if (spec.type === 'timeseries') {
    defaults.custom = {
      drawStyle: 'line',
      lineWidth: 1,
      fillOpacity: 10,
      showPoints: 'never',
      spanNulls: false,
      thresholdsStyle: { mode: spec.thresholds ? 'line' : 'off' },
    };
  }
  const options: Record<string, unknown> =
    spec.type === 'stat'
      ? {
          reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
          colorMode: 'background',
          graphMode: 'none',
          textMode: 'value',
          justifyMode: 'auto',
          orientation: 'auto',
        }
      : spec.type === 'logs'
        ? {
            showTime: true,
            wrapLogMessage: true,
            sortOrder: 'Descending',
            enableLogDetails: true,
            dedupStrategy: 'none',
            prettifyLogMessage: false,
            showCommonLabels: false,
            showLabels: false,
          }
        : { legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] }, tooltip: { mode: 'multi', sort: 'desc' } };
  const panel: PanelJson = {
    id,
    type: spec.type,
    title: spec.title,
    gridPos,
    datasource,
    fieldConfig: { defaults, overrides: [] },
    options,
    targets: spec.targets.map((t, i) => {
      const target: PanelQueryJson = { refId: String.fromCharCode(65 + i), datasource, expr: t.expr };
      if (spec.type !== 'logs') {
        target.legendFormat = t.legend;
        target.range = true;
        target.exemplar = t.exemplar === true;
      }
      return target;
    }),
  };
  if (spec.description) panel.description = spec.description;
  return panel;
}

function templating(job: { multi: boolean; current: string }): { list: VariableJson[] } {
  const jobQuery = `label_values(${selector(HTTP_SERVER.count, [trustedSource])}, ${LABEL.job})`;
  const instanceQuery = `label_values(${selector(HTTP_SERVER.count, [[LABEL.job, '=~', '$job'], trustedSource])}, ${LABEL.instance})`;
  const all = { text: 'All', value: '$__all' };
  return {
    list: [
      {
        name: 'datasource',
        label: 'Data source',
        type: 'datasource',
        query: 'prometheus',
        current: { text: 'Prometheus', value: DATASOURCE_UID.prometheus },
        hide: 0,
        refresh: 1,
        regex: '',
        options: [],
      },
      {
        name: 'job',
        label: 'Service (job)',
        type: 'query',
        datasource: PROM,
        query: jobQuery,
        current: job.multi ? all : { text: job.current, value: job.current },
        multi: job.multi,
        includeAll: job.multi,
        refresh: 2,
        sort: 1,
        regex: '',
        hide: 0,
        options: [],
      },
      {
        name: 'instance',
        label: 'Instance',
        type: 'query',
        datasource: PROM,
        query: instanceQuery,
        current: all,
        multi: true,
        includeAll: true,
        allValue: '.*',
        refresh: 2,
        sort: 1,
        regex: '',
        hide: 0,
        options: [],
      },
    ],
  };
}

function link(title: string, url: string): DashboardLinkJson {
  return { title, type: 'link', url, icon: 'dashboard', tags: [], asDropdown: false, includeVars: false, keepTime: true, targetBlank: false, tooltip: title };
}

interface DashboardSpec {
  uid: string;
  title: string;
  tags: string[];
  panels: Array<PanelJson | RowPanelJson>;
  templating: { list: VariableJson[] };
  links: DashboardLinkJson[];
  description: string;
}

function dashboard(model: PlatformModel, { uid, title, tags, panels, templating, links, description }: DashboardSpec): DashboardJson {
  return {
    uid,
    title,
    description,
    tags,
    editable: false,
    graphTooltip: 1,
    timezone: 'browser',
    time: { from: 'now-6h', to: 'now' },
    refresh: model.grafana.refresh,
    schemaVersion: GRAFANA_SCHEMA_VERSION,
    version: 1,
    fiscalYearStartMonth: 0,
    liveNow: false,
    links,
    annotations: { list: [] },
    templating,
    panels,
  };
}

const BREAKER_MAPPINGS: ValueMappingJson[] = [
  {
    type: 'value',
    options: Object.fromEntries(
      Object.entries(BREAKER_STATE_VALUE).map(([name, value]) => [
        String(value),
        { text: name.replace('_', '-'), color: name === 'closed' ? 'green' : name === 'open' ? 'red' : 'orange', index: value },
      ]),
    ),
  },
];

/** What differs between the availability and the latency SLO panels; the panels themselves are the same three. */
interface SloPanelText {
  /** "Availability" or "Latency": starts the budget and burn-rate titles. */
  name: string;
  statTitle: string;
  statDecimals: number;
  statLegend: string;
  /** PromQL: share of bad events over the SLO window. */
  badShare: string;
  /** PromQL: error ratio over a burn-rate window. */
  errorRatio: (window: string) => string;
  burnDescription: (page: readonly BurnThreshold[]) => string;
}

/** One SLO's panels: attainment over the window, error budget remaining, burn rate against the page thresholds. */
function addSloPanels(p: Layout, slo: AvailabilitySloModel | LatencySloModel, text: SloPanelText): void {
  const page = burnThresholds(slo).filter((t) => t.severity === 'page');
  p.add({
    title: text.statTitle,
    type: 'stat',
    unit: 'percentunit',
    decimals: text.statDecimals,
    width: 6,
    baseColor: 'red',
    thresholds: [[slo.target, 'green']],
    targets: [{ expr: `1 - (${text.badShare})`, legend: text.statLegend }],
  });
  p.add({
    title: `${text.name} error budget remaining`,
    type: 'stat',
    unit: 'percentunit',
    decimals: 1,
    width: 6,
    baseColor: 'red',
    thresholds: [
      [0, 'orange'],
      [0.25, 'green'],
    ],
    targets: [{ expr: `1 - ((${text.badShare}) / ${slo.errorBudget})`, legend: 'budget remaining' }],
  });
  p.add({
    title: `${text.name} burn rate`,
    type: 'timeseries',
    unit: 'suffix:x',
    width: 12,
    min: 0,
    description: text.burnDescription(page),
    thresholds: [...page].sort((x, y) => x.factor - y.factor).map((t, i): [number, string] => [t.factor, i === page.length - 1 ? 'red' : 'orange']),
    targets: page.map((t) => ({ expr: `(${text.errorRatio(t.longWindow)}) / ${slo.errorBudget}`, legend: `${t.longWindow} burn rate` })),
  });
}

/** One dashboard per service: RED, SLO, runtime, resilience and logs rows. */
export function renderServiceDashboard(model: PlatformModel, service: ServiceModel): DashboardJson {
  const sel: Matcher[] = [[LABEL.job, '=', '$job'], [LABEL.instance, '=~', '$instance'], trustedSource];
  const jobOnly: Matcher[] = [[LABEL.job, '=', '$job'], trustedSource];
  const a = service.slos.availability;
  const l = service.slos.latency;
  const p = new Layout();

  p.row('Requests, errors, duration (RED)');
  p.add({
    title: 'Request rate by route',
    type: 'timeseries',
    unit: 'reqps',
    width: 8,
    targets: [{ expr: requestRate(sel, RATE, [LABEL.httpRoute]), legend: `{{${LABEL.httpRoute}}}` }],
  });
  p.add({
    title: 'Server error ratio (5xx)',
    type: 'timeseries',
    unit: 'percentunit',
    width: 8,
    min: 0,
    description: a ? `Red line: the error budget of the ${a.objectivePercent}% availability SLO.` : undefined,
    thresholds: a ? [[a.errorBudget, 'red']] : undefined,
    targets: [{ expr: availabilityErrorRatio(sel, RATE, []), legend: '5xx ratio' }],
  });
  p.add({
    title: 'Latency p50 / p95 / p99',
    type: 'timeseries',
    unit: 's',
    width: 8,
    min: 0,
    description: l ? `Red line: the ${l.text} SLO threshold. Exemplars link to traces.` : 'Exemplars link to traces.',
    thresholds: l ? [[l.thresholdSeconds, 'red']] : undefined,
    targets: [0.5, 0.95, 0.99].map((q) => ({ expr: quantile(q, sel, RATE), legend: `p${q * 100}`, exemplar: true })),
  });
  p.add({
    title: 'p95 latency by route',
    type: 'timeseries',
    unit: 's',
    width: 12,
    min: 0,
    thresholds: l ? [[l.thresholdSeconds, 'red']] : undefined,
    targets: [{ expr: quantile(0.95, sel, RATE, [LABEL.httpRoute]), legend: `{{${LABEL.httpRoute}}}`, exemplar: true }],
  });
  p.add({
    title: 'Active requests',
    type: 'timeseries',
    unit: 'short',
    width: 12,
    min: 0,
    targets: [{ expr: `sum(${selector(HTTP_SERVER_ACTIVE_REQUESTS.name, sel)})`, legend: 'in flight' }],
  });

  if (a || l) {
    p.row('Service level objectives');
    if (a) {
      addSloPanels(p, a, {
        name: 'Availability',
        statTitle: `Availability over ${a.window} (objective ${a.objectivePercent}%)`,
        statDecimals: 3,
        statLegend: 'availability',
        badShare: availabilityErrorShare(jobOnly, a.window),
        errorRatio: (window) => availabilityErrorRatio(jobOnly, window, []),
        burnDescription: (page) => {
          const lines = page.map((t) => `${t.factor}x over ${t.longWindow}`).join(', ');
          return `Error ratio divided by the ${round(a.errorBudget * 100)}% budget. Lines: page thresholds (${lines}).`;
        },
      });
    }
    if (l) {
      addSloPanels(p, l, {
        name: 'Latency',
        statTitle: `Requests faster than ${l.thresholdMs}ms over ${l.window} (objective ${round(l.target * 100)}%)`,
        statDecimals: 2,
        statLegend: 'fast share',
        badShare: latencyErrorShare(jobOnly, l.window, l.thresholdSeconds),
        errorRatio: (window) => latencyErrorRatio(jobOnly, window, l.thresholdSeconds, []),
        burnDescription: () => `Share of requests slower than ${l.thresholdMs}ms divided by the ${round(l.errorBudget * 100)}% budget.`,
      });
    }
  }

  p.row('Runtime (Node.js)');
  const gc = histogramSeries(V8JS_GC_DURATION);
  p.add({
    title: 'Event loop delay p99',
    type: 'timeseries',
    unit: 's',
    width: 8,
    min: 0,
    thresholds: [[0.1, 'red']],
    targets: [{ expr: `max by (${LABEL.instance}) (${selector(NODEJS_EVENTLOOP_DELAY_P99.name, sel)})`, legend: `{{${LABEL.instance}}}` }],
  });
  p.add({
    title: 'Event loop utilization',
    type: 'timeseries',
    unit: 'percentunit',
    width: 8,
    min: 0,
    max: 1,
    thresholds: [[0.9, 'red']],
    targets: [{ expr: `max by (${LABEL.instance}) (${selector(NODEJS_EVENTLOOP_UTILIZATION.name, sel)})`, legend: `{{${LABEL.instance}}}` }],
  });
  p.add({
    title: 'CPU (share of one core)',
    type: 'timeseries',
    unit: 'percentunit',
    width: 8,
    min: 0,
    targets: [{ expr: `sum by (${LABEL.instance}) (rate(${selector(PROCESS_CPU_SECONDS.name, sel)}[${RATE}]))`, legend: `{{${LABEL.instance}}}` }],
  });
  p.add({
    title: 'Heap used by space',
    type: 'timeseries',
    unit: 'bytes',
    width: 8,
    min: 0,
    targets: [{ expr: `sum by (${LABEL.heapSpace}) (${selector(V8JS_MEMORY_HEAP_USED.name, sel)})`, legend: `{{${LABEL.heapSpace}}}` }],
  });
  p.add({
    title: 'Resident memory',
    type: 'timeseries',
    unit: 'bytes',
    width: 8,
    min: 0,
    targets: [{ expr: `sum by (${LABEL.instance}) (${selector(PROCESS_RESIDENT_MEMORY.name, sel)})`, legend: `{{${LABEL.instance}}}` }],
  });
  p.add({
    title: 'Time in garbage collection',
    type: 'timeseries',
    unit: 'percentunit',
    width: 8,
    min: 0,
    targets: [{ expr: `sum by (${LABEL.gcType}) (rate(${selector(gc.sum, sel)}[${RATE}]))`, legend: `{{${LABEL.gcType}}}` }],
  });

  p.row('Resilience (dependencies)');
  const deps = service.dependencies.length > 0 ? ` (${service.dependencies.join(', ')})` : '';
  p.add({
    title: `Circuit breaker state${deps}`,
    type: 'state-timeline',
    unit: 'none',
    width: 12,
    mappings: BREAKER_MAPPINGS,
    baseColor: 'green',
    thresholds: [
      [1, 'red'],
      [2, 'orange'],
    ],
    targets: [{ expr: `max by (${LABEL.dependency}) (${selector(RESILIENCE_BREAKER_STATE.name, sel)})`, legend: `{{${LABEL.dependency}}}` }],
  });
  p.add({
    title: 'Retry attempts',
    type: 'timeseries',
    unit: 'ops',
    width: 12,
    min: 0,
    targets: [{ expr: `sum by (${LABEL.dependency}) (rate(${selector(RESILIENCE_RETRY_ATTEMPTS.name, sel)}[${RATE}]))`, legend: `{{${LABEL.dependency}}}` }],
  });
  p.add({
    title: 'Calls by outcome',
    type: 'timeseries',
    unit: 'ops',
    width: 12,
    min: 0,
    targets: [
      {
        expr: `sum by (${LABEL.dependency}, ${LABEL.outcome}) (rate(${selector(RESILIENCE_CALLS.name, sel)}[${RATE}]))`,
        legend: `{{${LABEL.dependency}}} {{${LABEL.outcome}}}`,
      },
    ],
  });
  p.add({
    title: 'Retries refused by the retry budget',
    type: 'timeseries',
    unit: 'ops',
    width: 12,
    min: 0,
    targets: [
      { expr: `sum by (${LABEL.dependency}) (rate(${selector(RESILIENCE_RETRY_BUDGET_EXHAUSTED.name, sel)}[${RATE}]))`, legend: `{{${LABEL.dependency}}}` },
    ],
  });

  p.row('Logs');
  p.add({
    title: 'Logs (trace_id links to the trace)',
    type: 'logs',
    unit: 'none',
    width: 24,
    height: 10,
    datasource: { type: 'loki', uid: DATASOURCE_UID.loki },
    targets: [{ expr: `{service_name="$job"}`, legend: '' }],
  });

  return dashboard(model, {
    uid: dashboardUid(service.name),
    title: `${service.name} service`,
    tags: ['platform', 'service', service.name],
    panels: p.panels,
    templating: templating({ multi: false, current: service.name }),
    links: [link('Platform overview', `/d/${OVERVIEW_UID}`)],
    description: `Generated by platform from the manifest: ${service.name} ${service.version}. Do not edit by hand.`,
  });
}

/** Overview: every service side by side, with links to each service dashboard. */
export function renderOverviewDashboard(model: PlatformModel): DashboardJson {
  const sel: Matcher[] = [[LABEL.job, '=~', '$job'], trustedSource];
  const p = new Layout();
  p.row('All services');
  p.add({
    title: 'Request rate by service',
    type: 'timeseries',
    unit: 'reqps',
    width: 12,
    targets: [{ expr: requestRate(sel, RATE, [LABEL.job]), legend: `{{${LABEL.job}}}` }],
  });
  p.add({
    title: 'Server error ratio (5xx) by service',
    type: 'timeseries',
    unit: 'percentunit',
    width: 12,
    min: 0,
    targets: [{ expr: availabilityErrorRatio(sel, RATE, [LABEL.job]), legend: `{{${LABEL.job}}}` }],
  });
  p.add({
    title: 'p95 latency by service',
    type: 'timeseries',
    unit: 's',
    width: 12,
    min: 0,
    targets: [{ expr: quantile(0.95, sel, RATE, [LABEL.job]), legend: `{{${LABEL.job}}}`, exemplar: true }],
  });
  p.add({
    title: 'Open circuit breakers',
    type: 'stat',
    unit: 'none',
    width: 12,
    baseColor: 'green',
    thresholds: [[1, 'red']],
    targets: [{ expr: `count(${selector(RESILIENCE_BREAKER_STATE.name, [...sel])} == 1) or vector(0)`, legend: 'open' }],
  });
  const links: DashboardLinkJson[] = [
    {
      title: 'Service dashboards',
      type: 'dashboards',
      url: '',
      icon: 'external link',
      tags: ['platform', 'service'],
      asDropdown: true,
      includeVars: false,
      keepTime: true,
      targetBlank: false,
      tooltip: 'Service dashboards',
    },
  ];
  return dashboard(model, {
    uid: OVERVIEW_UID,
    title: 'Platform overview',
    tags: ['platform', 'overview'],
    panels: p.panels,
    templating: templating({ multi: true, current: '' }),
    links,
    description: 'Generated by platform: every service of the manifest. Do not edit by hand.',
  });
}
