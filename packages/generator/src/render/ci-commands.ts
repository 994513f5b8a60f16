import type { CiModel, PlatformModel, ServiceModel } from '../model.js';

/**
 * The commands and paths the generated pipelines (GitHub Actions and GitLab CI) run, in one place
 * so both pipelines say the same thing and the tests can execute exactly what the pipelines run.
 * Every path is relative to the repository root, where both CI systems start their scripts.
 */

/** How the pipelines call the CLI after `ci.setup` installed it (never a download at run time). */
export const PLATFORM_CLI = 'npx --no-install platform';

/** A path under `platform generate --out`, relative to the repository root. */
export function outPath(ci: CiModel, rel: string): string {
  return ci.out === '.' ? rel : `${ci.out}/${rel}`;
}

export function k6ScriptPath(ci: CiModel, service: ServiceModel): string {
  return outPath(ci, `loadtests/${service.name}.js`);
}

export function rulesPath(ci: CiModel, service: ServiceModel): string {
  return outPath(ci, `collector/prometheus-rules/${service.name}.rules.yaml`);
}

export function ruleTestsPath(ci: CiModel, service: ServiceModel): string {
  return outPath(ci, `collector/prometheus-rules/${service.name}.rules.test.yaml`);
}

export function dashboardPath(ci: CiModel, service: ServiceModel): string {
  return outPath(ci, `dashboards/services/${service.name}.json`);
}

/** `platform generate --check` with this manifest: fails when a committed generated file drifted. */
export function generateCheckCommand(ci: CiModel): string {
  return `${PLATFORM_CLI} generate --manifest ${ci.manifest} --out ${ci.out} --check`;
}

/** One promtool run over every service's rule tests (promtool resolves rule_files next to each test file). */
export function promtoolTestCommand(model: PlatformModel): string {
  return ['promtool test rules', ...model.services.map((s) => ruleTestsPath(model.ci, s))].join(' ');
}

/** The files k6's handleSummary writes (names passed through env, see the k6 script). */
export interface K6ReportFiles {
  readonly summary: string;
  readonly junit: string;
  readonly markdown: string;
}

/** Report files of one run, at the repository root (k6 does not create folders; the CI artifact globs pick them up). */
export function k6ReportFiles(service: ServiceModel): K6ReportFiles {
  return { summary: `k6-summary-${service.name}.json`, junit: `k6-junit-${service.name}.xml`, markdown: `k6-summary-${service.name}.md` };
}

/** Environment of every k6 job: where the script writes its reports, and no usage report sent home from CI. */
export function k6ReportEnv(service: ServiceModel): Record<string, string> {
  const f = k6ReportFiles(service);
  return { K6_SUMMARY_PATH: f.summary, K6_JUNIT_PATH: f.junit, K6_MARKDOWN_PATH: f.markdown, K6_NO_USAGE_REPORT: 'true' };
}

/** The k6 run of one phase against the URL in $BASE_URL (the job maps the service's CI variable to it). */
export function k6RunCommand(ci: CiModel, service: ServiceModel, phase: 'smoke' | 'all'): string {
  return `k6 run -e PHASE=${phase} -e BASE_URL="$BASE_URL" ${k6ScriptPath(ci, service)}`;
}

/** Refuses to run against nothing: an unset variable is a setup error, not a passing smoke. */
export function requireBaseUrlCommand(service: ServiceModel, errorPrefix: string): string {
  const v = service.load.baseUrlVariable;
  return `if [ -z "$BASE_URL" ]; then echo "${errorPrefix}set the CI variable ${v} to the base URL of ${service.name} in the environment under test"; exit 1; fi`;
}

/** Where the nightly gate puts the previous nightly's summary. */
export function baselinePath(service: ServiceModel): string {
  return `k6-baseline/k6-summary-${service.name}.json`;
}

/** The regression gate: exit 1 when p95/p99/error rate regressed beyond the allowance, even inside the SLO. */
export function compareCommand(ci: CiModel, service: ServiceModel): string {
  return `${PLATFORM_CLI} loadtest compare ${baselinePath(service)} ${k6ReportFiles(service).summary} --max-p95-regression ${ci.maxP95Regression}`;
}

/** The prom/prometheus image promtool is taken from (official, pinned). */
export function prometheusImage(ci: CiModel): string {
  return `prom/prometheus:v${ci.prometheusVersion}`;
}

/** The grafana/k6 image (official, pinned). */
export function k6Image(ci: CiModel): string {
  return `grafana/k6:${ci.k6Version}`;
}

/** The node image the CLI steps run in on GitLab (official, pinned to the major). */
export function nodeImage(ci: CiModel): string {
  return `node:${ci.nodeVersion}`;
}
