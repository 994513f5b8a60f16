import type { PlatformModel, ServiceModel } from '../model.js';
import { objectMeta, type ObjectMeta } from './kubernetes-objects.js';
import { type RuleGroup, renderPrometheusRules } from './prometheus-rules.js';

export interface PrometheusRuleResource {
  apiVersion: 'monitoring.coreos.com/v1';
  kind: 'PrometheusRule';
  metadata: ObjectMeta;
  spec: { groups: RuleGroup[] };
}

/**
 * A Prometheus Operator PrometheusRule carrying exactly the SLO recording and alerting rules of
 * one service: the same rule groups as collector/prometheus-rules/<service>.rules.yaml (the same
 * renderer's data), so the promtool tests of that file cover these rules too. Labelled with
 * `kubernetes.monitoringLabels` for the Prometheus resource's `ruleSelector`.
 */
export function renderPrometheusRuleResource(model: PlatformModel, service: ServiceModel): PrometheusRuleResource {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: objectMeta(model, `${service.name}-slo`, { component: 'slo-rules', name: service.name, extra: model.kubernetes.monitoringLabels }),
    spec: { groups: renderPrometheusRules(service).groups },
  };
}
