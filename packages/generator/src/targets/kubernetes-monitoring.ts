import { renderGatewayPodMonitor } from '../render/kubernetes-gateway-monitor.js';
import { renderPrometheusRuleResource } from '../render/kubernetes-prometheus-rule.js';
import { toYaml } from '../serialize.js';
import type { Target } from './target.js';

/** collector/kubernetes/monitoring/: Prometheus Operator resources (SLO rules per service, the gateway scrape). */
export const kubernetesMonitoringTarget: Target = {
  name: 'kubernetes-monitoring',
  root: 'collector/kubernetes',
  describe: 'PrometheusRule per service (the SLO rules), PodMonitor for the gateway when Prometheus scrapes it',
  *files(model) {
    for (const s of model.services) {
      yield [
        `monitoring/${s.name}-slo.prometheusrule.yaml`,
        toYaml(renderPrometheusRuleResource(model, s), [
          `PrometheusRule: the SLO rules of ${s.name} (same rules as collector/prometheus-rules/${s.name}.rules.yaml).`,
        ]),
      ];
    }
    const monitor = renderGatewayPodMonitor(model);
    if (monitor) yield ['monitoring/otel-gateway.podmonitor.yaml', toYaml(monitor, ["PodMonitor: Prometheus scrapes the gateways' Prometheus exporter."])];
  },
};
