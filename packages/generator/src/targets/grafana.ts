import type { PlatformModel } from '../model.js';
import { renderOverviewDashboard, renderServiceDashboard } from '../render/grafana-dashboard.js';
import { renderDashboardProvider, renderDatasources, traceDatasourceUid } from '../render/grafana-provisioning.js';
import { toJson, toYaml } from '../serialize.js';
import type { Target, TargetQuery } from './target.js';

const serviceDashboardName = (service: string): string => `services/${service}.json`;
const OVERVIEW = 'overview.json';

/** Every dashboard as [file relative to dashboards/, dashboard JSON model], one service at a time. */
function* dashboards(model: PlatformModel): Generator<[string, Record<string, unknown>]> {
  const traceUid = traceDatasourceUid(model);
  for (const s of model.services) yield [serviceDashboardName(s.name), renderServiceDashboard(model, s, traceUid)];
  yield [OVERVIEW, renderOverviewDashboard(model)];
}

/** dashboards/: a dashboard per service, the overview, and Grafana provisioning for both and the datasources. */
export const grafanaTarget: Target = {
  name: 'grafana',
  root: 'dashboards',
  describe: 'Grafana dashboards per service and an overview, datasource and dashboard provisioning',
  *files(model) {
    for (const [file, dashboard] of dashboards(model)) yield [file, toJson(dashboard)];
    yield ['provisioning/datasources/platform.yaml', toYaml(renderDatasources(model), ['Grafana datasource provisioning ($$ escapes Grafana env expansion).'])];
    yield [
      'provisioning/dashboards/platform.yaml',
      toYaml(renderDashboardProvider(model), ['Grafana dashboard provisioning: mount dashboards/ at the provider path.']),
    ];
  },
  *queries(model) {
    for (const [file, d] of dashboards(model)) yield* prometheusTargets(file, d);
  },
};

/** The Prometheus queries of one dashboard's panels, with the job its `job` variable selects ('' for all). */
function* prometheusTargets(file: string, d: Record<string, unknown>): Generator<TargetQuery> {
  const job = (
    ((d['templating'] as { list: Array<{ name: string; current?: { value?: string } }> }).list.find((v) => v.name === 'job')?.current?.value ?? '') as string
  ).replace('$__all', '');
  for (const panel of d['panels'] as Array<Record<string, unknown>>) {
    const targets = (panel['targets'] ?? []) as Array<{ refId: string; expr: string; datasource?: { type?: string } }>;
    for (const t of targets) {
      if (t.datasource?.type !== 'prometheus') continue;
      yield { file, source: `panel "${String(panel['title'])}" ${t.refId}`, kind: 'dashboard', job, expr: t.expr };
    }
  }
}
