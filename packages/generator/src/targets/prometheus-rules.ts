import { renderPrometheusRuleTests } from '../render/prometheus-rule-tests.js';
import { renderPrometheusRules } from '../render/prometheus-rules.js';
import { toYaml } from '../serialize.js';
import type { Target } from './target.js';

/** Under collector/ because the rules belong to the metrics pipeline the collector feeds (see README). */
const FOLDER = 'prometheus-rules';
const rulesName = (service: string): string => `${service}.rules.yaml`;
const ruleTestsName = (service: string): string => `${service}.rules.test.yaml`;

/** collector/prometheus-rules/: SLO recording and alerting rules per service, with their promtool unit tests. */
export const prometheusRulesTarget: Target = {
  name: 'prometheus-rules',
  root: 'collector',
  describe: 'Prometheus SLO recording and burn-rate alerting rules per service, with promtool tests',
  *files(model) {
    for (const s of model.services) {
      const rules = renderPrometheusRules(s);
      const name = rulesName(s.name);
      yield [`${FOLDER}/${name}`, toYaml(rules, [`Prometheus rules for ${s.name}. Check: promtool check rules ${name}`])];
      const tests = ruleTestsName(s.name);
      yield [`${FOLDER}/${tests}`, toYaml(renderPrometheusRuleTests(s, rules, name), [`Run: promtool test rules ${tests}`])];
    }
  },
  *queries(model) {
    for (const s of model.services) {
      const file = `${FOLDER}/${rulesName(s.name)}`;
      for (const g of renderPrometheusRules(s).groups) {
        for (const r of g.rules) {
          if ('record' in r) yield { file, source: `record ${r.record}`, kind: 'recording-rule', job: s.name, expr: r.expr };
          else yield { file, source: `alert ${r.alert} (${r.labels['severity'] ?? ''})`, kind: 'alerting-rule', job: s.name, expr: r.expr };
        }
      }
    }
  },
};
