import { OutputError } from '../errors.js';
import type { PlatformModel } from '../model.js';
import { toJson, toYaml } from '../serialize.js';
import { renderOverviewDashboard, renderServiceDashboard } from './grafana-dashboard.js';
import { renderDatasources } from './grafana-provisioning.js';
import { PART_OF, objectMeta, type ObjectMeta } from './kubernetes-objects.js';

/**
 * Grafana's dashboard and datasource sidecars (the grafana Helm chart's `sidecar.dashboards` /
 * `sidecar.datasources`, kiwigrid k8s-sidecar) load every ConfigMap carrying their label; the
 * dashboard sidecar puts a dashboard into the folder named by its folder annotation when the chart
 * sets `sidecar.dashboards.folderAnnotation: grafana_folder`.
 */
export const GRAFANA_SIDECAR = {
  dashboardLabel: 'grafana_dashboard',
  datasourceLabel: 'grafana_datasource',
  folderAnnotation: 'grafana_folder',
} as const;

/** A ConfigMap's data is capped at 1 MiB by the API server (etcd value size). */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;

export interface ConfigMapResource {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: ObjectMeta;
  data: Record<string, string>;
}

function dashboardConfigMap(model: PlatformModel, objectName: string, about: string, file: string, json: string): ConfigMapResource {
  if (Buffer.byteLength(json) > CONFIGMAP_MAX_BYTES)
    throw new OutputError(
      file,
      `the dashboard is ${Buffer.byteLength(json)} bytes, over the ${CONFIGMAP_MAX_BYTES}-byte limit of a ConfigMap`,
      'split the service (fewer endpoints or dependencies per dashboard) or provision dashboards from files (the plain target)',
    );
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: objectMeta(
      model,
      objectName,
      { component: 'dashboard', name: about, extra: { [GRAFANA_SIDECAR.dashboardLabel]: '1' } },
      { [GRAFANA_SIDECAR.folderAnnotation]: model.grafana.folder },
    ),
    data: { [file]: json },
  };
}

/** One ConfigMap per dashboard, the JSON byte for byte the plain target's dashboards/<…>.json. */
export function* renderDashboardConfigMaps(model: PlatformModel): Generator<[service: string | undefined, ConfigMapResource]> {
  for (const s of model.services)
    yield [s.name, dashboardConfigMap(model, `${s.name}-dashboard`, s.name, `${s.name}.json`, toJson(renderServiceDashboard(model, s)))];
  yield [undefined, dashboardConfigMap(model, `${PART_OF}-overview-dashboard`, PART_OF, 'overview.json', toJson(renderOverviewDashboard(model)))];
}

/**
 * The datasources the dashboards point at (same uids, same `$__env{VAR}` credential references as
 * dashboards/provisioning/datasources/platform.yaml: no secret value is written), for the
 * datasource sidecar. Grafana reads the referenced variables from its own environment.
 */
export function renderDatasourcesConfigMap(model: PlatformModel): ConfigMapResource {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: objectMeta(model, `${PART_OF}-datasources`, { component: 'datasources', name: PART_OF, extra: { [GRAFANA_SIDECAR.datasourceLabel]: '1' } }),
    data: { 'platform-datasources.yaml': toYaml(renderDatasources(model), ['Grafana datasource provisioning ($$ escapes Grafana env expansion).']) },
  };
}
