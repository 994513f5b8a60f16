import type { PlatformModel, ServiceModel } from '../model.js';
import {
  baselinePath,
  compareCommand,
  generateCheckCommand,
  k6ReportEnv,
  k6ReportFiles,
  k6RunCommand,
  outPath,
  prometheusImage,
  promtoolTestCommand,
  requireBaseUrlCommand,
} from './ci-commands.js';

/**
 * Actions the workflow uses, each pinned to a released version (a moving major tag would change
 * the pipeline under the team's feet). Official publishers only: GitHub and Grafana.
 */
export const GITHUB_ACTIONS = {
  checkout: 'actions/checkout@v4.2.2',
  setupNode: 'actions/setup-node@v4.4.0',
  uploadArtifact: 'actions/upload-artifact@v4.6.2',
  setupK6: 'grafana/setup-k6-action@v1.1.0',
} as const;

/** Where the workflow must be installed: the nightly gate finds earlier runs of this same file. */
export const GITHUB_WORKFLOW_FILE = 'platform-loadtests.yml';

/** The artifact one service's nightly uploads (and the next nightly downloads as its baseline). */
export function nightlyArtifactName(service: ServiceModel): string {
  return `k6-nightly-${service.name}`;
}

const RUNNER = 'ubuntu-24.04';
const IS_PR = "github.event_name == 'pull_request'";
const IS_NIGHTLY = "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'";

type Step = Record<string, unknown>;

function setupCliSteps(model: PlatformModel): Step[] {
  return [
    { name: `Node ${model.ci.nodeVersion}`, uses: GITHUB_ACTIONS.setupNode, with: { 'node-version': model.ci.nodeVersion } },
    { name: 'Install the platform CLI', run: model.ci.setup },
  ];
}

function setupK6Step(model: PlatformModel): Step {
  return { name: `k6 ${model.ci.k6Version}`, uses: GITHUB_ACTIONS.setupK6, with: { 'k6-version': model.ci.k6Version } };
}

/** Appends the Markdown report to the job summary page, also when k6 failed (that is when it matters). */
function stepSummary(service: ServiceModel): Step {
  const md = k6ReportFiles(service).markdown;
  return { name: 'Report on the run page', if: '${{ !cancelled() }}', run: `if [ -f ${md} ]; then cat ${md} >> "$GITHUB_STEP_SUMMARY"; fi` };
}

function baseUrlEnv(service: ServiceModel): Record<string, string> {
  return { BASE_URL: `\${{ vars.${service.load.baseUrlVariable} }}` };
}

function verifyJob(model: PlatformModel): Record<string, unknown> {
  return {
    name: 'generated files and Prometheus rule tests',
    'runs-on': RUNNER,
    'timeout-minutes': 15,
    steps: [
      { uses: GITHUB_ACTIONS.checkout },
      ...setupCliSteps(model),
      { name: 'Generated files match the manifest', run: generateCheckCommand(model.ci) },
      {
        name: 'The installed copy of this workflow is the generated one',
        // GITHUB_WORKFLOW_REF = owner/repo/.github/workflows/<file>@<ref>: whatever name it was installed under.
        run: ['installed="${GITHUB_WORKFLOW_REF#*/*/}"', `diff -u ${outPath(model.ci, `loadtests/ci/github/${GITHUB_WORKFLOW_FILE}`)} "\${installed%@*}"`].join(
          '\n',
        ),
      },
      {
        name: `promtool from ${prometheusImage(model.ci)}`,
        run: [
          `container=$(docker create ${prometheusImage(model.ci)})`,
          'mkdir -p "$RUNNER_TEMP/bin"',
          'docker cp "$container:/bin/promtool" "$RUNNER_TEMP/bin/promtool"',
          'docker rm "$container"',
          'echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"',
        ].join('\n'),
      },
      { name: 'Prometheus rule unit tests', run: promtoolTestCommand(model) },
    ],
  };
}

function smokeJob(model: PlatformModel, service: ServiceModel): Record<string, unknown> {
  return {
    name: `k6 smoke ${service.name}`,
    if: IS_PR,
    needs: 'verify',
    'runs-on': RUNNER,
    'timeout-minutes': 10,
    env: { ...baseUrlEnv(service), ...k6ReportEnv(service) },
    steps: [
      { uses: GITHUB_ACTIONS.checkout },
      setupK6Step(model),
      {
        name: 'Smoke (one pass over every endpoint, the SLO thresholds apply)',
        run: [requireBaseUrlCommand(service, '::error::'), k6RunCommand(model.ci, service, 'smoke')].join('\n'),
      },
      stepSummary(service),
    ],
  };
}

function nightlyJob(model: PlatformModel, service: ServiceModel): Record<string, unknown> {
  const reports = k6ReportFiles(service);
  const artifact = nightlyArtifactName(service);
  const baselineDir = baselinePath(service).split('/')[0];
  return {
    name: `k6 nightly ${service.name}`,
    if: IS_NIGHTLY,
    needs: 'verify',
    'runs-on': RUNNER,
    'timeout-minutes': 60,
    // actions: read lets the gate list earlier runs and download their artifacts with the job token.
    permissions: { contents: 'read', actions: 'read' },
    env: { ...baseUrlEnv(service), ...k6ReportEnv(service) },
    steps: [
      { uses: GITHUB_ACTIONS.checkout },
      ...setupCliSteps(model),
      setupK6Step(model),
      {
        name: 'Baseline: the summary of the last successful scheduled run of this workflow',
        id: 'baseline',
        env: { GH_TOKEN: '${{ github.token }}' },
        run: [
          'workflow="${GITHUB_WORKFLOW_REF%@*}"; workflow="${workflow##*/}"',
          'run_id=$(gh run list --repo "$GITHUB_REPOSITORY" --workflow "$workflow" --branch "$GITHUB_REF_NAME" --event schedule --status success --limit 1 --json databaseId --jq \'.[0].databaseId // empty\')',
          'if [ -z "$run_id" ]; then',
          '  echo "::notice::no successful scheduled run yet: this run becomes the baseline"',
          '  echo "found=false" >> "$GITHUB_OUTPUT"',
          'else',
          `  gh run download "$run_id" --repo "$GITHUB_REPOSITORY" --name ${artifact} --dir ${baselineDir}`,
          `  test -f ${baselinePath(service)}`,
          '  echo "found=true" >> "$GITHUB_OUTPUT"',
          'fi',
        ].join('\n'),
      },
      {
        name: 'Full load (smoke, then the load scenario)',
        run: [requireBaseUrlCommand(service, '::error::'), k6RunCommand(model.ci, service, 'all')].join('\n'),
      },
      stepSummary(service),
      {
        name: 'Summaries and JUnit report as artifacts',
        if: '${{ !cancelled() }}',
        uses: GITHUB_ACTIONS.uploadArtifact,
        with: { name: artifact, path: [reports.summary, reports.junit, reports.markdown].join('\n'), 'if-no-files-found': 'warn', 'retention-days': 30 },
      },
      {
        name: `Regression gate against the last nightly (p95 allowance ${model.ci.maxP95Regression})`,
        if: "${{ !cancelled() && steps.baseline.outputs.found == 'true' }}",
        run: compareCommand(model.ci, service),
      },
    ],
  };
}

/**
 * The GitHub Actions workflow: on pull requests the generated files are checked, the rule tests run
 * and each service gets a k6 smoke; on the nightly schedule (or a manual dispatch) each service gets
 * the full load, its reports as artifacts and a regression gate against the last successful nightly.
 */
export function renderGithubWorkflow(model: PlatformModel): Record<string, unknown> {
  const jobs: Record<string, unknown> = { verify: verifyJob(model) };
  for (const s of model.services) jobs[`smoke-${s.name}`] = smokeJob(model, s);
  for (const s of model.services) jobs[`nightly-${s.name}`] = nightlyJob(model, s);
  return {
    name: 'platform load tests',
    on: { pull_request: {}, schedule: [{ cron: model.ci.schedule }], workflow_dispatch: {} },
    permissions: { contents: 'read' },
    concurrency: { group: 'platform-loadtests-${{ github.ref }}', 'cancel-in-progress': `\${{ ${IS_PR} }}` },
    defaults: { run: { shell: 'bash' } },
    jobs,
  };
}
