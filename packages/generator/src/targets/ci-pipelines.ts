import { GITHUB_WORKFLOW_FILE, renderGithubWorkflow } from '../render/ci-github-workflow.js';
import { GITLAB_BASELINE_SCRIPT, GITLAB_PIPELINE_FILE, renderGitlabPipeline } from '../render/ci-gitlab-pipeline.js';
import { renderGitlabBaselineScript } from '../render/gitlab-baseline-script.js';
import { outPath } from '../render/ci-commands.js';
import { toYaml } from '../serialize.js';
import type { Target } from './target.js';

/** The GitHub workflow, relative to loadtests/ (GitHub reads workflows only from .github/workflows/). */
export const GITHUB_WORKFLOW_PATH = `ci/github/${GITHUB_WORKFLOW_FILE}`;

/** loadtests/ci/: the pipelines that run the generated checks (GitHub Actions and GitLab CI). */
export const ciPipelinesTarget: Target = {
  name: 'ci-pipelines',
  root: 'loadtests',
  describe: 'GitHub Actions and GitLab CI pipelines: PR checks and k6 smoke, nightly load with a regression gate',
  *files(model) {
    const at = (rel: string): string => outPath(model.ci, `loadtests/${rel}`);
    yield [
      GITHUB_WORKFLOW_PATH,
      toYaml(renderGithubWorkflow(model), [
        `Install: cp ${at(GITHUB_WORKFLOW_PATH)} .github/workflows/${GITHUB_WORKFLOW_FILE} (every run checks the copy is current).`,
        'Variables: one repository variable per service with its base URL (see each job env BASE_URL).',
      ]),
    ];
    yield [
      GITLAB_PIPELINE_FILE,
      toYaml(renderGitlabPipeline(model), [
        `Use from .gitlab-ci.yml: include: [{ local: ${at(GITLAB_PIPELINE_FILE)} }]`,
        'Variables: one per service with its base URL, and PLATFORM_GITLAB_API_TOKEN (read_api) for the nightly gate.',
      ]),
    ];
    yield [GITLAB_BASELINE_SCRIPT, renderGitlabBaselineScript()];
  },
};
