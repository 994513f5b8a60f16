import type { BackendModel, PlatformModel } from '../model.js';
import { DATASOURCE_UID } from './grafana-dashboard.js';

/** Where the dashboards JSON files are mounted in the Grafana container. */
export const GRAFANA_DASHBOARDS_PATH = '/var/lib/grafana/dashboards/platform';

export function traceDatasourceUid(model: PlatformModel): string {
  return model.backends.traces.type;
}

/**
 * TLS and credentials of one datasource: the manifest's query headers become Grafana's
 * httpHeaderName/Value pairs with `${env:VAR}` rewritten to Grafana's own `${VAR}` expansion (the
 * value is read from Grafana's environment, never written here), and the CA as `$__file{…}`.
 */
function access(model: PlatformModel, backend: BackendModel): { jsonData: Record<string, unknown>; secureJsonData?: Record<string, string> } {
  const jsonData: Record<string, unknown> = {};
  const secure: Record<string, string> = {};
  Object.entries(backend.queryHeaders).forEach(([name, value], i) => {
    jsonData[`httpHeaderName${i + 1}`] = name;
    secure[`httpHeaderValue${i + 1}`] = value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, '$__env{$1}');
  });
  if (model.grafana.caFile && /^https:/i.test(backend.queryUrl)) {
    jsonData['tlsAuthWithCACert'] = true;
    secure['tlsCACert'] = `$__file{${model.grafana.caFile}}`;
  }
  return Object.keys(secure).length > 0 ? { jsonData, secureJsonData: secure } : { jsonData };
}

/** Datasources with exemplar -> trace and log -> trace links. `$$` escapes Grafana's env expansion. */
export function renderDatasources(model: PlatformModel): Record<string, unknown> {
  const traceUid = traceDatasourceUid(model);
  const traces = model.backends.traces;
  const withAccess = (backend: BackendModel, datasource: Record<string, unknown> & { jsonData: Record<string, unknown> }): Record<string, unknown> => {
    const a = access(model, backend);
    return { ...datasource, jsonData: { ...datasource.jsonData, ...a.jsonData }, ...(a.secureJsonData ? { secureJsonData: a.secureJsonData } : {}) };
  };
  return {
    apiVersion: 1,
    datasources: [
      withAccess(model.backends.metrics, {
        name: 'Prometheus',
        type: 'prometheus',
        uid: DATASOURCE_UID.prometheus,
        access: 'proxy',
        url: model.backends.metrics.queryUrl,
        isDefault: true,
        editable: false,
        jsonData: {
          httpMethod: 'POST',
          timeInterval: model.collector.scrapeInterval,
          exemplarTraceIdDestinations: [{ name: 'trace_id', datasourceUid: traceUid, urlDisplayLabel: 'View trace' }],
        },
      }),
      withAccess(model.backends.logs, {
        name: 'Loki',
        type: 'loki',
        uid: DATASOURCE_UID.loki,
        access: 'proxy',
        url: model.backends.logs.queryUrl,
        editable: false,
        jsonData: {
          maxLines: 1000,
          derivedFields: [
            { name: 'TraceID', matcherType: 'label', matcherRegex: 'trace_id', datasourceUid: traceUid, url: '$${__value.raw}', urlDisplayLabel: 'View trace' },
            {
              name: 'TraceIDInBody',
              matcherType: 'regex',
              matcherRegex: '"trace_?[iI]d"\\s*:\\s*"([0-9a-f]{32})"',
              datasourceUid: traceUid,
              url: '$${__value.raw}',
              urlDisplayLabel: 'View trace',
            },
          ],
        },
      }),
      withAccess(traces, {
        name: traces.type === 'tempo' ? 'Tempo' : 'Jaeger',
        type: traces.type,
        uid: traceUid,
        access: 'proxy',
        url: traces.queryUrl,
        editable: false,
        jsonData: {
          tracesToLogsV2: {
            datasourceUid: DATASOURCE_UID.loki,
            filterByTraceId: true,
            spanStartTimeShift: '-5m',
            spanEndTimeShift: '5m',
            tags: [{ key: 'service.name', value: 'service_name' }],
          },
          ...(traces.type === 'tempo' ? { serviceMap: { datasourceUid: DATASOURCE_UID.prometheus }, nodeGraph: { enabled: true } } : {}),
        },
      }),
    ],
  };
}

export function renderDashboardProvider(model: PlatformModel): Record<string, unknown> {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'platform',
        orgId: 1,
        folder: model.grafana.folder,
        type: 'file',
        disableDeletion: false,
        allowUiUpdates: false,
        updateIntervalSeconds: 60,
        options: { path: GRAFANA_DASHBOARDS_PATH, foldersFromFilesStructure: false },
      },
    ],
  };
}
