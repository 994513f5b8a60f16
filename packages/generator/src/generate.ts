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

/**
 * Every output file as [path, content] (path relative to --out, POSIX separators), rendered lazily
 * one service at a time so a writer can stream them to disk without holding all of them.
 * Order: shared files first, then per service; use renderAll for the sorted map.
 */
export function* renderFiles(model: PlatformModel): Generator<[string, string]> {
  const traceUid = traceDatasourceUid(model);
  const agent = renderCollectorAgent(model);
  const gateway = renderCollectorGateway(model);
  yield [PATHS.agent, toYaml(agent, [`OpenTelemetry Collector agent, collector ${model.collector.version}. Run: otelcol-contrib --config agent.yaml`])];
  yield [PATHS.gateway, toYaml(gateway, [`OpenTelemetry Collector gateway, collector ${model.collector.version}. Run: otelcol-contrib --config gateway.yaml`])];
  yield [PATHS.collectorReadme, renderCollectorReadme(model, agent, gateway)];
  for (const s of model.services) {
    const rules = renderPrometheusRules(s);
    const rulesName = PATHS.rules(s.name).split('/').pop() as string;
    yield [PATHS.rules(s.name), toYaml(rules, [`Prometheus rules for ${s.name}. Check: promtool check rules ${rulesName}`])];
    yield [PATHS.ruleTests(s.name), toYaml(renderPrometheusRuleTests(s, rules, rulesName), [`Run: promtool test rules ${s.name}.rules.test.yaml`])];
    yield [PATHS.k6(s.name), renderK6Script(s)];
    yield [PATHS.serviceDashboard(s.name), toJson(renderServiceDashboard(model, s, traceUid))];
  }
  yield [PATHS.overviewDashboard, toJson(renderOverviewDashboard(model))];
  yield [PATHS.datasources, toYaml(renderDatasources(model), ['Grafana datasource provisioning ($$ escapes Grafana env expansion).'])];
  yield [PATHS.dashboardProvider, toYaml(renderDashboardProvider(model), ['Grafana dashboard provisioning: mount dashboards/ at the provider path.'])];
}

/** Every output file, path (relative to --out, POSIX separators) -> content, sorted by path. */
export function renderAll(model: PlatformModel): Map<string, string> {
  const files = [...renderFiles(model)];
  return new Map(files.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}
