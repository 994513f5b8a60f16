import { renderCollectorAgent, renderCollectorGateway } from '../render/collector.js';
import { renderCollectorReadme } from '../render/collector-readme.js';
import { toYaml } from '../serialize.js';
import type { Target } from './target.js';

/** collector/: the agent and gateway configs and the README that explains them. */
export const collectorTarget: Target = {
  name: 'collector',
  root: 'collector',
  describe: 'OpenTelemetry Collector agent and gateway configs, README of each hop',
  *files(model) {
    const agent = renderCollectorAgent(model);
    const gateway = renderCollectorGateway(model);
    yield ['agent.yaml', toYaml(agent, [`OpenTelemetry Collector agent, collector ${model.collector.version}. Run: otelcol-contrib --config agent.yaml`])];
    yield [
      'gateway.yaml',
      toYaml(gateway, [`OpenTelemetry Collector gateway, collector ${model.collector.version}. Run: otelcol-contrib --config gateway.yaml`]),
    ];
    yield ['README.md', renderCollectorReadme(model, agent, gateway)];
  },
};
