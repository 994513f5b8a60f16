import type { PlatformModel } from './model.js';
import { renderCollectorAgent, renderCollectorGateway } from './render/collector.js';
import { renderCollectorReadme } from './render/collector-readme.js';
import { renderOverviewDashboard, renderServiceDashboard } from './render/grafana-dashboard.js';
import { renderDashboardProvider, renderDatasources, traceDatasourceUid } from './render/grafana-provisioning.js';
import { renderK6Script } from './render/k6.js';
import { renderPrometheusRuleTests } from './render/prometheus-rule-tests.js';
import { renderPrometheusRules, type RuleFile } from './render/prometheus-rules.js';
import { toJson, toYaml } from './serialize.js';

/** The top-level folders the generator owns inside --out. */
export const OUTPUT_ROOTS = ['collector', 'dashboards', 'loadtests'] as const;

export const PATHS = {
  agent: 'collector/agent.yaml',
  gateway: 'collector/gateway.yaml',
  collectorReadme: 'collector/README.md',
  rules: (service: string) => `collector/prometheus-rules/${service}.rules.yaml`,
  ruleTests: (service: string) => `collector/prometheus-rules/${service}.rules.test.yaml`,
  serviceDashboard: (service: string) => `dashboards/services/${service}.json`,
  overviewDashboard: 'dashboards/overview.json',
  datasources: 'dashboards/provisioning/datasources/platform.yaml',
  dashboardProvider: 'dashboards/provisioning/dashboards/platform.yaml',
  k6: (service: string) => `loadtests/${service}.js`,
} as const;

/** Rendered artifacts before serialisation (for tests and collectQueries). */
export interface RenderedArtifacts {
  agent: ReturnType<typeof renderCollectorAgent>;
  gateway: ReturnType<typeof renderCollectorGateway>;
  rules: Map<string, RuleFile>;
  dashboards: Map<string, Record<string, unknown>>;
}

export function renderArtifacts(model: PlatformModel): RenderedArtifacts {
  const traceUid = traceDatasourceUid(model);
  const rules = new Map<string, RuleFile>();
  const dashboards = new Map<string, Record<string, unknown>>();
  for (const s of model.services) {
    rules.set(s.name, renderPrometheusRules(s));
    dashboards.set(PATHS.serviceDashboard(s.name), renderServiceDashboard(model, s, traceUid));
  }
  dashboards.set(PATHS.overviewDashboard, renderOverviewDashboard(model));
  return { agent: renderCollectorAgent(model), gateway: renderCollectorGateway(model), rules, dashboards };
}

/** Every output file, path (relative to --out, POSIX separators) -> content, sorted by path. */
export function renderAll(model: PlatformModel): Map<string, string> {
  const a = renderArtifacts(model);
  const files = new Map<string, string>();
  files.set(PATHS.agent, toYaml(a.agent, [`OpenTelemetry Collector agent, collector ${model.collector.version}. Run: otelcol-contrib --config agent.yaml`]));
  files.set(PATHS.gateway, toYaml(a.gateway, [`OpenTelemetry Collector gateway, collector ${model.collector.version}. Run: otelcol-contrib --config gateway.yaml`]));
  files.set(PATHS.collectorReadme, renderCollectorReadme(model, a.agent, a.gateway));
  for (const s of model.services) {
    const rules = a.rules.get(s.name) as RuleFile;
    const rulesName = PATHS.rules(s.name).split('/').pop() as string;
    files.set(PATHS.rules(s.name), toYaml(rules, [`Prometheus rules for ${s.name}. Check: promtool check rules ${rulesName}`]));
    files.set(PATHS.ruleTests(s.name), toYaml(renderPrometheusRuleTests(s, rules, rulesName), [`Run: promtool test rules ${s.name}.rules.test.yaml`]));
    files.set(PATHS.k6(s.name), renderK6Script(s));
  }
  for (const [path, d] of a.dashboards) files.set(path, toJson(d));
  files.set(PATHS.datasources, toYaml(renderDatasources(model), ['Grafana datasource provisioning ($$ escapes Grafana env expansion).']));
  files.set(PATHS.dashboardProvider, toYaml(renderDashboardProvider(model), ['Grafana dashboard provisioning: mount dashboards/ at the provider path.']));
  return new Map([...files.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}
