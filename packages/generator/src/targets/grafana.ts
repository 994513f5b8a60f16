import type { PlatformModel } from '../model.js';
import { renderOverviewDashboard, renderServiceDashboard } from '../render/grafana-dashboard.js';
import type { DashboardJson, PanelQueryJson } from '../render/grafana-json.js';
import { renderDashboardProvider, renderDatasources } from '../render/grafana-provisioning.js';
import { toJson, toYaml } from '../serialize.js';
import type { Target, TargetQuery } from './target.js';

const serviceDashboardName = (service: string): string => `services/${service}.json`;
const OVERVIEW = 'overview.json';

/** Every dashboard as [file relative to dashboards/, dashboard JSON model], one service at a time. */
function* dashboards(model: PlatformModel): Generator<[string, DashboardJson]> {
  for (const s of model.services) yield [serviceDashboardName(s.name), renderServiceDashboard(model, s)];
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
function* prometheusTargets(file: string, d: DashboardJson): Generator<TargetQuery> {
  const selected = d.templating?.list?.find((v) => v.name === 'job')?.current?.value;
  const job = (typeof selected === 'string' ? selected : '').replace('$__all', '');
  for (const panel of d.panels ?? []) {
    if (!('targets' in panel)) continue; // a row
    // The dashboard renderer writes every query as a PanelQueryJson.
    for (const t of (panel.targets ?? []) as PanelQueryJson[]) {
      if (t.datasource.type !== 'prometheus') continue;
      yield { file, source: `panel "${String(panel.title)}" ${t.refId}`, kind: 'dashboard', job, expr: t.expr };
    }
  }
}
