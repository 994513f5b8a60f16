import { backstageCatalogTarget } from './backstage-catalog.js';
import { ciPipelinesTarget } from './ci-pipelines.js';
import { collectorTarget } from './collector.js';
import { grafanaTarget } from './grafana.js';
import { k6Target } from './k6.js';
import { prometheusRulesTarget } from './prometheus-rules.js';
import type { Target } from './target.js';

/**
 * Every output target of `platform generate`, in generation order. This list alone drives what
 * generate writes and --check compares (generate.ts), the folders generate owns (OUTPUT_ROOTS,
 * write.ts), the CLI help (cli/run.ts) and the PromQL inventory (queries.ts).
 */
export const TARGETS: readonly Target[] = [collectorTarget, prometheusRulesTarget, grafanaTarget, k6Target, ciPipelinesTarget, backstageCatalogTarget];

/** The top-level folders the generator owns inside --out, in target order. */
export const OUTPUT_ROOTS: readonly string[] = [...new Set(TARGETS.map((t) => t.root))];
