import type { PlatformModel, ServiceModel } from '../model.js';
import {
  baselinePath,
  compareCommand,
  generateCheckCommand,
  k6Image,
  k6ReportEnv,
  k6ReportFiles,
  k6RunCommand,
  nodeImage,
  outPath,
  prometheusImage,
  promtoolTestCommand,
  requireBaseUrlCommand,
} from './ci-commands.js';

/** The file the pipeline includes (`include: local:`), relative to loadtests/. */
export const GITLAB_PIPELINE_FILE = 'ci/gitlab/platform-loadtests.gitlab-ci.yml';
/** The baseline fetcher the gate runs, relative to loadtests/. */
export const GITLAB_BASELINE_SCRIPT = 'ci/gitlab/fetch-nightly-baseline.mjs';
/** Masked CI variable with a read_api token: job tokens cannot list pipelines (see the README's CI story). */
export const GITLAB_API_TOKEN_VARIABLE = 'PLATFORM_GITLAB_API_TOKEN';

export const GITLAB_STAGES = ['platform-verify', 'platform-smoke', 'platform-load', 'platform-gate'] as const;

const MERGE_REQUEST = '$CI_PIPELINE_SOURCE == "merge_request_event"';
const SCHEDULE = '$CI_PIPELINE_SOURCE == "schedule"';

/** Images whose entrypoint is the tool itself need it cleared so the runner can start a shell. */
const toolImage = (name: string): Record<string, unknown> => ({ name, entrypoint: [''] });

export function gitlabNightlyJobName(service: ServiceModel): string {
  return `k6-nightly-${service.name}`;
}

function reportArtifacts(service: ServiceModel, expireIn: string): Record<string, unknown> {
  const f = k6ReportFiles(service);
  return { when: 'always', expire_in: expireIn, paths: [f.summary, f.junit, f.markdown], reports: { junit: f.junit } };
}

function baseUrlVariables(service: ServiceModel): Record<string, string> {
  return { BASE_URL: `$${service.load.baseUrlVariable}`, ...k6ReportEnv(service) };
}

/**
 * The GitLab CI pipeline, included from the project's .gitlab-ci.yml. Merge request pipelines check
 * the generated files, run the rule tests and a k6 smoke per service; scheduled pipelines run the
 * full load per service (JUnit as the test report) and gate it against the last successful scheduled
 * pipeline's summary.
 */
export function renderGitlabPipeline(model: PlatformModel): Record<string, unknown> {
  const both = [{ if: MERGE_REQUEST }, { if: SCHEDULE }];
  const out: Record<string, unknown> = {
    stages: [...GITLAB_STAGES],
    'platform-generate-check': {
      stage: 'platform-verify',
      image: nodeImage(model.ci),
      rules: both,
      script: [model.ci.setup, generateCheckCommand(model.ci)],
    },
    'platform-promtool-test-rules': {
      stage: 'platform-verify',
      image: toolImage(prometheusImage(model.ci)),
      rules: both,
      needs: [],
      script: [promtoolTestCommand(model)],
    },
  };
  const verify = ['platform-generate-check', 'platform-promtool-test-rules'];
  for (const s of model.services) {
    out[`k6-smoke-${s.name}`] = {
      stage: 'platform-smoke',
      image: toolImage(k6Image(model.ci)),
      rules: [{ if: MERGE_REQUEST }],
      needs: verify,
      variables: baseUrlVariables(s),
      script: [requireBaseUrlCommand(s, ''), k6RunCommand(model.ci, s, 'smoke')],
      artifacts: reportArtifacts(s, '1 week'),
    };
  }
  for (const s of model.services) {
    out[gitlabNightlyJobName(s)] = {
      stage: 'platform-load',
      image: toolImage(k6Image(model.ci)),
      rules: [{ if: SCHEDULE }],
      needs: verify,
      variables: baseUrlVariables(s),
      timeout: '1h',
      script: [requireBaseUrlCommand(s, ''), k6RunCommand(model.ci, s, 'all')],
      artifacts: reportArtifacts(s, '30 days'),
    };
  }
  for (const s of model.services) {
    const nightly = gitlabNightlyJobName(s);
    out[`k6-regression-gate-${s.name}`] = {
      stage: 'platform-gate',
      image: nodeImage(model.ci),
      rules: [{ if: SCHEDULE }],
      needs: [{ job: nightly, artifacts: true }],
      script: [
        model.ci.setup,
        `node ${outPath(model.ci, `loadtests/${GITLAB_BASELINE_SCRIPT}`)} --job ${nightly} --artifact ${k6ReportFiles(s).summary} --out ${baselinePath(s)}`,
        `if [ -f ${baselinePath(s)} ]; then ${compareCommand(model.ci, s)}; else echo "no earlier successful scheduled pipeline: this run becomes the baseline"; fi`,
      ],
    };
  }
  return out;
}
