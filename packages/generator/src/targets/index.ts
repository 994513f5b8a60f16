import { backstageCatalogTarget } from './backstage-catalog.js';
import { ciPipelinesTarget } from './ci-pipelines.js';
import { collectorTarget } from './collector.js';
import { grafanaTarget } from './grafana.js';
import { k6Target } from './k6.js';
import { kubernetesCollectorsTarget } from './kubernetes-collectors.js';
import { kubernetesDashboardsTarget } from './kubernetes-dashboards.js';
import { kubernetesLoadTestsTarget } from './kubernetes-loadtests.js';
import { kubernetesMonitoringTarget } from './kubernetes-monitoring.js';
import { prometheusRulesTarget } from './prometheus-rules.js';
import type { Target } from './target.js';

/**
 * What `platform generate --target NAME` writes: a list of targets and the folders it owns. Each
 * set owns its own folders (and their .platform-generated records), so generating one set never
 * touches the files of another, even when its folders sit inside another set's (the kubernetes
 * set's collector/kubernetes/ inside the plain set's collector/).
 */
export interface TargetSet {
  readonly name: string;
  /** One line for the help text. */
  readonly describe: string;
  /** The targets, in generation order. */
  readonly targets: readonly Target[];
  /** The folders under --out the set owns (each target's root, in target order). */
  readonly roots: readonly string[];
}

function targetSet(name: string, describe: string, targets: readonly Target[]): TargetSet {
  return { name, describe, targets, roots: [...new Set(targets.map((t) => t.root))] };
}

/**
 * Every output target of the default (plain) set, in generation order. This list drives what
 * generate writes and --check compares (generate.ts), the folders it owns (OUTPUT_ROOTS,
 * write.ts), the CLI help (cli/run.ts) and the PromQL inventory (queries.ts).
 */
export const TARGETS: readonly Target[] = [collectorTarget, prometheusRulesTarget, grafanaTarget, k6Target, ciPipelinesTarget, backstageCatalogTarget];

/**
 * `--target kubernetes`: Kubernetes resources for the OpenTelemetry Operator, the Prometheus
 * Operator, Grafana's sidecars and the k6-operator. Adding a kind of resource is one target file
 * and one entry here.
 */
export const KUBERNETES_TARGETS: readonly Target[] = [
  kubernetesCollectorsTarget,
  kubernetesMonitoringTarget,
  kubernetesDashboardsTarget,
  kubernetesLoadTestsTarget,
];

export const TARGET_SETS: readonly TargetSet[] = [
  targetSet('plain', 'configs for the collector binaries, Grafana file provisioning, k6, Prometheus rule files (default)', TARGETS),
  targetSet('kubernetes', 'Kubernetes resources for the OpenTelemetry, Prometheus and k6 operators and Grafana sidecars', KUBERNETES_TARGETS),
];

export const DEFAULT_TARGET_SET = TARGET_SETS[0] as TargetSet;

/** The top-level folders the plain set owns inside --out, in target order. */
export const OUTPUT_ROOTS: readonly string[] = DEFAULT_TARGET_SET.roots;
