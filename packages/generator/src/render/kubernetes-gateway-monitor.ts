import type { PlatformModel } from '../model.js';
import { COLLECTOR_NAME, TLS_SECRET, collectorPodSelector, objectMeta, type ObjectMeta } from './kubernetes-objects.js';

/** Label that keeps the series of different gateway replicas apart (see renderGatewayPodMonitor). */
export const GATEWAY_POD_LABEL = 'otelcol_gateway_pod';

export interface PodMonitorResource {
  apiVersion: 'monitoring.coreos.com/v1';
  kind: 'PodMonitor';
  metadata: ObjectMeta;
  spec: Record<string, unknown>;
}

/**
 * With `backends.metrics.type: prometheus-scrape`, Prometheus scrapes the gateways' Prometheus
 * exporter (the only path the services' metrics take: the agents scrape the pods, so a
 * PodMonitor on the services as well would count every series twice). undefined for the push
 * backends (remote write, OTLP): nothing to scrape.
 *
 * - `honorLabels: true`: the exposed `job`, `instance` and `telemetry_source` are the ones the
 *   agent set when it scraped the service (`scrape`) or stamped on pushed metrics (`otlp`), and
 *   must survive (without it they become `exported_job`, … and no SLO query matches). The trust
 *   decision is the agent's: no service can expose a `telemetry_source` the agent keeps.
 * - `otelcol_gateway_pod`: agents send metrics to any gateway replica, and a series that moved
 *   from one replica to another is still exposed by the first until `metric_expiration`: the pod
 *   label keeps the two copies separate series (the SLO rules aggregate it away with `sum by`).
 * - A PodMonitor, not a ServiceMonitor: it selects the gateway pods by the labels the
 *   OpenTelemetry Operator sets and scrapes `portNumber`, the exporter's port, which the operator
 *   declares on the collector container when the config uses the prometheus exporter.
 */
export function renderGatewayPodMonitor(model: PlatformModel): PodMonitorResource | undefined {
  const metrics = model.backends.metrics;
  if (metrics.type !== 'prometheus-scrape') return undefined;
  const g = model.collector.gateway;
  const port = Number(metrics.endpoint.slice(metrics.endpoint.lastIndexOf(':') + 1));
  const tls = !(metrics.tls.insecure || g.insecure);
  const serverName = g.serverName ?? g.endpoint.slice(0, g.endpoint.lastIndexOf(':'));
  const namespace = model.kubernetes.namespace;
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: objectMeta(model, `${COLLECTOR_NAME.gateway}-metrics`, {
      component: 'metrics-scrape',
      name: COLLECTOR_NAME.gateway,
      extra: model.kubernetes.monitoringLabels,
    }),
    spec: {
      selector: { matchLabels: collectorPodSelector(namespace, COLLECTOR_NAME.gateway) },
      namespaceSelector: { matchNames: [namespace] },
      podMetricsEndpoints: [
        {
          portNumber: port,
          path: '/metrics',
          scheme: tls ? 'HTTPS' : 'HTTP',
          interval: model.collector.scrapeInterval,
          honorLabels: true,
          relabelings: [{ action: 'replace', sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: GATEWAY_POD_LABEL }],
          ...(tls ? { tlsConfig: { ca: { secret: { name: TLS_SECRET.gateway, key: TLS_SECRET.caKey } }, serverName } } : {}),
        },
      ],
    },
  };
}
