import type { PlatformModel, ServiceModel } from '../model.js';
import { dashboardPath, k6ScriptPath, ruleTestsPath, rulesPath } from './ci-commands.js';
import { dashboardUid } from './grafana-dashboard.js';
import { renderPrometheusRules } from './prometheus-rules.js';

/** Where the catalog files go, relative to loadtests/ (see the generator README for why there). */
export const CATALOG_FOLDER = 'ci/catalog';
/** The Location entity that registers every service entry: the one URL to give Backstage. */
export const CATALOG_LOCATION_FILE = `${CATALOG_FOLDER}/catalog-info.yaml`;
export const catalogEntryFile = (service: string): string => `${CATALOG_FOLDER}/${service}/catalog-info.yaml`;

/** Annotation keys of our own (repository-relative paths of the generated files); the prefix is a DNS label as Backstage requires. */
const ANNOTATION_PREFIX = 'platform-observability';

/** The service dashboard's URL in Grafana, when the manifest says where Grafana is. */
export function grafanaDashboardUrl(model: PlatformModel, service: ServiceModel): string | undefined {
  return model.grafana.url ? `${model.grafana.url}/d/${dashboardUid(service.name)}` : undefined;
}

function describe(service: ServiceModel): string {
  const slos = [
    service.slos.availability ? `availability ${service.slos.availability.objectivePercent}% over ${service.slos.availability.window}` : undefined,
    service.slos.latency ? `latency ${service.slos.latency.text} over ${service.slos.latency.window}` : undefined,
  ].filter(Boolean);
  return `${service.name} ${service.version}. SLOs: ${slos.join('; ')}.`;
}

/** A Backstage Component for one service, linking its dashboard, alert rules and load test. */
export function renderCatalogComponent(model: PlatformModel, service: ServiceModel): Record<string, unknown> {
  const alerts = [...new Set(renderPrometheusRules(service).groups.flatMap((g) => g.rules.flatMap((r) => ('alert' in r ? [r.alert] : []))))];
  const dashboardUrl = grafanaDashboardUrl(model, service);
  const known = new Set(model.services.map((s) => s.name));
  const dependsOn = service.dependencies.filter((d) => known.has(d)).map((d) => `component:${d}`);
  const annotations: Record<string, string> = {
    // @k-phoen/backstage-plugin-grafana: dashboards by tag (the generated dashboard carries both tags).
    'grafana/dashboard-selector': `tags @> 'platform' && tags @> '${service.name}'`,
    ...(dashboardUrl ? { 'grafana/overview-dashboard': `${dashboardUrl}?kiosk` } : {}),
    // @roadiehq/backstage-plugin-prometheus: the service's alerts, narrowed by the rules' service label.
    'prometheus.io/alert': alerts.join(','),
    'prometheus.io/labels': `service=${service.name}`,
    [`${ANNOTATION_PREFIX}/grafana-dashboard`]: dashboardPath(model.ci, service),
    [`${ANNOTATION_PREFIX}/prometheus-rules`]: rulesPath(model.ci, service),
    [`${ANNOTATION_PREFIX}/prometheus-rule-tests`]: ruleTestsPath(model.ci, service),
    [`${ANNOTATION_PREFIX}/k6-loadtest`]: k6ScriptPath(model.ci, service),
    [`${ANNOTATION_PREFIX}/k6-base-url-variable`]: service.load.baseUrlVariable,
  };
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: service.name,
      description: describe(service),
      annotations,
      tags: ['slo', 'k6'],
      ...(dashboardUrl ? { links: [{ url: dashboardUrl, title: 'Grafana dashboard', icon: 'dashboard', type: 'dashboard' }] } : {}),
    },
    spec: {
      type: 'service',
      lifecycle: service.catalog.lifecycle,
      owner: service.catalog.owner,
      ...(service.catalog.system ? { system: service.catalog.system } : {}),
      ...(dependsOn.length ? { dependsOn } : {}),
    },
  };
}

/** A Location listing every entry, so one registered URL brings in all services. */
export function renderCatalogLocation(model: PlatformModel): Record<string, unknown> {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: { name: 'platform-services', description: 'Every service of the platform manifest (generated catalog entries).' },
    spec: { type: 'url', targets: model.services.map((s) => `./${s.name}/catalog-info.yaml`) },
  };
}
