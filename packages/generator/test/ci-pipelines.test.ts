import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderAll } from '../src/generate.js';
import type { PlatformModel } from '../src/model.js';
import { PLATFORM_CLI } from '../src/render/ci-commands.js';
import { cli, EXAMPLE_MANIFEST, exampleModel, REPO_ROOT, requireTool, tempDir, VARIED, variedModel } from './helpers.js';
import { compileCiSchema, schemaErrors } from './support/ci-schemas.js';
import { gitlabStructureProblems, jobSources } from './support/gitlab-ci-structure.js';

type Json = Record<string, unknown>;
interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  id?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Json;
  jobs: Record<string, Job>;
}

const GITHUB = 'loadtests/ci/github/platform-loadtests.yml';
const GITLAB = 'loadtests/ci/gitlab/platform-loadtests.gitlab-ci.yml';
const MODELS: Record<string, PlatformModel> = { example: exampleModel(), varied: variedModel() };
const githubSchema = compileCiSchema('github-workflow.json');
const promtool = process.env['PROMTOOL'] ?? 'promtool';
/** Tests that run promtool or bash on the shared 2-core CI machine: promtool alone took up to 37 s there under a full parallel run. */
const TOOL_TIMEOUT_MS = 120_000;
const hasPromtool = spawnSync(promtool, ['--version'], { stdio: 'ignore' }).status === 0;

function pipelines(model: PlatformModel): { github: Workflow; gitlab: Json } {
  const files = renderAll(model);
  return { github: parse(files.get(GITHUB) ?? '') as Workflow, gitlab: parse(files.get(GITLAB) ?? '') as Json };
}
const step = (job: Job | undefined, name: RegExp): Step => {
  const s = job?.steps.find((x) => name.test(x.name ?? ''));
  if (!s) throw new Error(`no step ${String(name)}`);
  return s;
};
/** Runs one pipeline script line by line as the CI shells do (bash -e; GitLab runs each script entry in one shell). */
function sh(script: string, cwd: string, env: Record<string, string> = {}): { code: number | null; out: string } {
  const r = spawnSync('bash', ['-eo', 'pipefail', '-c', script], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', ...env },
    timeout: TOOL_TIMEOUT_MS,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}
/** `sh` without blocking the event loop (the test's own HTTP server must keep answering). */
function shAsync(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-eo', 'pipefail', '-c', script], { cwd, env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), TOOL_TIMEOUT_MS - 10_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}
/** A generated tree laid out as the manifest's `ci` settings say the repository is (manifest at ci.manifest, output at ci.out). */
function repository(model: PlatformModel, manifestText: string): { dir: string; cleanup: () => void } {
  const t = tempDir('platform-ci-repo-');
  const manifest = path.join(t.dir, model.ci.manifest);
  mkdirSync(path.dirname(manifest), { recursive: true });
  writeFileSync(manifest, manifestText);
  const r = cli(['generate', '--manifest', manifest, '--out', path.join(t.dir, model.ci.out)], t.dir);
  if (r.code !== 0) throw new Error(r.stderr);
  return t;
}

describe('generated GitHub Actions workflow (loadtests/ci/github/)', () => {
  for (const [name, model] of Object.entries(MODELS)) {
    it(`${name}: validates against the SchemaStore github-workflow schema`, () => {
      expect(schemaErrors(githubSchema, pipelines(model).github)).toEqual([]);
    });

    it(`${name}: PR runs the checks and a smoke per service; the schedule runs the full load, artifacts and the gate`, () => {
      const wf = pipelines(model).github;
      expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'schedule', 'workflow_dispatch']);
      expect(wf.on['schedule']).toEqual([{ cron: model.ci.schedule }]);
      const jobs = wf.jobs;
      expect(Object.keys(jobs).sort()).toEqual(['verify', ...model.services.flatMap((s) => [`smoke-${s.name}`, `nightly-${s.name}`])].sort());
      for (const [id, job] of Object.entries(jobs)) for (const n of [job.needs ?? []].flat()) expect(jobs[n], `${id} needs ${n}`).toBeDefined();
      for (const s of model.services) {
        const smoke = jobs[`smoke-${s.name}`];
        const nightly = jobs[`nightly-${s.name}`];
        expect(smoke?.if).toBe("github.event_name == 'pull_request'");
        expect(nightly?.if).toBe("github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'");
        for (const job of [smoke, nightly]) {
          expect(job?.env?.['BASE_URL']).toBe(`\${{ vars.${s.load.baseUrlVariable} }}`);
          expect(job?.env?.['K6_JUNIT_PATH']).toBe(`k6-junit-${s.name}.xml`);
        }
        expect(step(smoke, /^Smoke/).run).toContain(
          `k6 run -e PHASE=smoke -e BASE_URL="$BASE_URL" ${model.ci.out === '.' ? '' : `${model.ci.out}/`}loadtests/${s.name}.js`,
        );
        expect(step(nightly, /^Full load/).run).toContain('-e PHASE=all');
        const upload = step(nightly, /artifacts/);
        expect(upload.if).toBe('${{ !cancelled() }}');
        expect(String(upload.with?.['path']).split('\n')).toEqual([
          nightly?.env?.['K6_SUMMARY_PATH'],
          nightly?.env?.['K6_JUNIT_PATH'],
          nightly?.env?.['K6_MARKDOWN_PATH'],
        ]);
        expect(step(nightly, /Report on the run page/).run).toContain(`>> "$GITHUB_STEP_SUMMARY"`);
        const gate = step(nightly, /^Regression gate/);
        expect(gate.run).toBe(
          `${PLATFORM_CLI} loadtest compare k6-baseline/k6-summary-${s.name}.json k6-summary-${s.name}.json --max-p95-regression ${model.ci.maxP95Regression}`,
        );
        expect(gate.if).toContain("steps.baseline.outputs.found == 'true'");
        // the baseline is the artifact this same job uploads, from the last successful scheduled run
        const baseline = step(nightly, /^Baseline/);
        expect(baseline.run).toContain(`--name ${String(upload.with?.['name'])} --dir k6-baseline`);
        expect(baseline.run).toContain('--event schedule --status success');
        expect(nightly?.permissions).toEqual({ contents: 'read', actions: 'read' });
      }
    });

    it(`${name}: actions are pinned to released versions; expressions read only vars, github and steps (no secret literals)`, () => {
      const text = renderAll(model).get(GITHUB) ?? '';
      const wf = pipelines(model).github;
      const uses = Object.values(wf.jobs).flatMap((j) => j.steps.flatMap((s) => (s.uses ? [s.uses] : [])));
      expect(uses.length).toBeGreaterThan(0);
      for (const u of uses) expect(u).toMatch(/^(actions|grafana)\/[a-z0-9-]+@v\d+\.\d+\.\d+$/);
      const expressions = [...text.matchAll(/\$\{\{(.*?)\}\}/g)].map((m) => (m[1] ?? '').trim());
      expect(expressions.length).toBeGreaterThan(0);
      for (const e of expressions)
        expect(e).toMatch(
          /^(vars\.[A-Z][A-Z0-9_]*|github\.(token|ref|event_name == 'pull_request')|!cancelled\(\)( && steps\.baseline\.outputs\.found == 'true')?)$/,
        );
    });
  }

  it('the schema check fails on a broken workflow (mutated copies)', () => {
    const good = pipelines(MODELS['example'] as PlatformModel).github;
    const noRunner = structuredClone(good);
    delete (noRunner.jobs['verify'] as unknown as Json)['runs-on'];
    expect(schemaErrors(githubSchema, noRunner)).not.toEqual([]);
    const unknownStepKey = structuredClone(good);
    (unknownStepKey.jobs['verify']?.steps[0] as Json)['runs'] = 'echo';
    expect(schemaErrors(githubSchema, unknownStepKey)).not.toEqual([]);
    const badTrigger = structuredClone(good);
    badTrigger.on['schedule'] = '17 3 * * *';
    expect(schemaErrors(githubSchema, badTrigger)).not.toEqual([]);
  });
});

describe('generated GitLab CI pipeline (loadtests/ci/gitlab/)', () => {
  for (const [name, model] of Object.entries(MODELS)) {
    it(`${name}: is structurally sound (stages, jobs, needs, rules, artifacts)`, () => {
      expect(gitlabStructureProblems(pipelines(model).gitlab)).toEqual([]);
    });

    it(`${name}: merge requests get the checks and smokes, schedules the checks, full load with a JUnit report, and the gate`, () => {
      const doc = pipelines(model).gitlab;
      const job = (n: string): Json => doc[n] as Json;
      for (const n of ['platform-generate-check', 'platform-promtool-test-rules'])
        expect(jobSources(job(n))).toEqual(new Set(['merge_request_event', 'schedule']));
      for (const s of model.services) {
        expect(jobSources(job(`k6-smoke-${s.name}`))).toEqual(new Set(['merge_request_event']));
        for (const n of [`k6-nightly-${s.name}`, `k6-regression-gate-${s.name}`]) expect(jobSources(job(n))).toEqual(new Set(['schedule']));
        for (const n of [`k6-smoke-${s.name}`, `k6-nightly-${s.name}`]) {
          const vars = job(n)['variables'] as Record<string, string>;
          expect(vars['BASE_URL']).toBe(`$${s.load.baseUrlVariable}`);
          const artifacts = job(n)['artifacts'] as { when: string; paths: string[]; reports: { junit: string } };
          expect(artifacts.when).toBe('always');
          expect(artifacts.reports.junit).toBe(vars['K6_JUNIT_PATH']);
          expect(artifacts.paths).toEqual([vars['K6_SUMMARY_PATH'], vars['K6_JUNIT_PATH'], vars['K6_MARKDOWN_PATH']]);
        }
        expect(String((job(`k6-nightly-${s.name}`)['script'] as string[]).at(-1))).toContain('-e PHASE=all');
        const gate = job(`k6-regression-gate-${s.name}`);
        expect(gate['needs']).toEqual([{ job: `k6-nightly-${s.name}`, artifacts: true }]);
        expect((gate['script'] as string[]).join('\n')).toContain(`--job k6-nightly-${s.name} --artifact k6-summary-${s.name}.json`);
      }
    });
  }

  it('the structural check fails on a broken file (mutated copies)', () => {
    const good = pipelines(MODELS['example'] as PlatformModel).gitlab;
    const mutate = (f: (d: Json) => void): string[] => {
      const d = structuredClone(good);
      f(d);
      return gitlabStructureProblems(d);
    };
    const job = (d: Json, n: string): Json => d[n] as Json;
    expect(mutate((d) => (d['stages'] = (d['stages'] as string[]).filter((s) => s !== 'platform-gate')))).toContainEqual(
      expect.stringMatching(/stage platform-gate is not in stages/),
    );
    expect(mutate((d) => (job(d, 'k6-smoke-orders-service')['needs'] = ['platform-generate-chek']))).toContainEqual(expect.stringMatching(/not a job/));
    expect(mutate((d) => (job(d, 'k6-nightly-orders-service')['rules'] = [{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]))).toContainEqual(
      expect.stringMatching(/k6-regression-gate-orders-service: needs k6-nightly-orders-service, which does not run in schedule pipelines/),
    );
    expect(mutate((d) => (job(d, 'k6-smoke-orders-service')['rules'] = [{ if: 'schedule' }]))).toContainEqual(
      expect.stringMatching(/not a pipeline-source condition/),
    );
    expect(mutate((d) => (job(d, 'k6-smoke-orders-service')['rules'] = { if: '$CI_PIPELINE_SOURCE == "schedule"' }))).toContainEqual(
      expect.stringMatching(/rules must be a non-empty list/),
    );
    expect(mutate((d) => (job(d, 'platform-generate-check')['image'] = 'node'))).toContainEqual(expect.stringMatching(/pinned tag/));
    expect(mutate((d) => (job(d, 'k6-nightly-orders-service')['stage'] = 'platform-gate'))).toContainEqual(
      expect.stringMatching(/stage platform-load has no job/),
    );
    expect(mutate((d) => (job(d, 'k6-nightly-orders-service')['artifact'] = {}))).toContainEqual(expect.stringMatching(/unknown job keyword artifact/));
    expect(mutate((d) => (job(d, 'k6-regression-gate-orders-service')['stage'] = 'platform-verify'))).toContainEqual(expect.stringMatching(/of a later stage/));
  });
});

describe('the pipelines’ commands work as written (run here against the generated files)', { timeout: TOOL_TIMEOUT_MS }, () => {
  const cases: Array<[string, PlatformModel, string]> = [
    ['example', MODELS['example'] as PlatformModel, readFileSync(EXAMPLE_MANIFEST, 'utf8')],
    ['varied', MODELS['varied'] as PlatformModel, VARIED],
  ];

  for (const [name, model, manifest] of cases) {
    it(`${name}: both pipelines run one promtool command, and it passes with the real promtool`, () => {
      const { github, gitlab } = pipelines(model);
      const command = step(github.jobs['verify'], /rule unit tests/).run ?? '';
      expect((gitlab['platform-promtool-test-rules'] as { script: string[] }).script).toEqual([command]);
      expect(command.split(' ').filter((a) => a.endsWith('.test.yaml'))).toHaveLength(model.services.length);
      if (!requireTool(hasPromtool, 'promtool')) return;
      const repo = repository(model, manifest);
      try {
        const r = sh(command.replace(/^promtool /, `${promtool} `), repo.dir);
        expect(r.code, r.out).toBe(0);
        expect(r.out).toContain('SUCCESS');
      } finally {
        repo.cleanup();
      }
    });

    it(`${name}: the generate --check command of both pipelines passes on a fresh generate and fails on drift`, () => {
      const { github, gitlab } = pipelines(model);
      const command = step(github.jobs['verify'], /match the manifest/).run ?? '';
      expect((gitlab['platform-generate-check'] as { script: string[] }).script).toEqual([model.ci.setup, command]);
      expect(command.startsWith(`${PLATFORM_CLI} `)).toBe(true);
      const argv = command.slice(PLATFORM_CLI.length + 1).split(' ');
      // the example's pipeline runs in this repository: its command passes here, on the committed files
      if (name === 'example') expect(cli(argv, REPO_ROOT).code).toBe(0);
      const repo = repository(model, manifest);
      try {
        expect(cli(argv, repo.dir).code).toBe(0);
        const k6 = path.join(repo.dir, model.ci.out, `loadtests/${model.services[0]?.name}.js`);
        writeFileSync(k6, `${readFileSync(k6, 'utf8')}// edited\n`);
        expect(cli(argv, repo.dir).code).not.toBe(0);
      } finally {
        repo.cleanup();
      }
    });

    it(`${name}: the installed-copy check passes for the generated workflow under any file name, fails on an edited copy`, () => {
      const script = step(pipelines(model).github.jobs['verify'], /installed copy/).run ?? '';
      const repo = repository(model, manifest);
      try {
        mkdirSync(path.join(repo.dir, '.github/workflows'), { recursive: true });
        const installed = path.join(repo.dir, '.github/workflows/load.yml');
        copyFileSync(path.join(repo.dir, model.ci.out, GITHUB), installed);
        const env = { GITHUB_WORKFLOW_REF: 'acme/shop/.github/workflows/load.yml@refs/heads/main' };
        expect(sh(script, repo.dir, env).code).toBe(0);
        writeFileSync(installed, `${readFileSync(installed, 'utf8')}# edited\n`);
        expect(sh(script, repo.dir, env).code).toBe(1);
      } finally {
        repo.cleanup();
      }
    });
  }

  it('a smoke with its base URL variable unset fails at once and names the variable (both pipelines)', () => {
    const model = MODELS['varied'] as PlatformModel;
    const worker = model.services.find((s) => s.name === 'worker');
    expect(worker?.load.baseUrlVariable).toBe('WORKER_STAGING_URL');
    const { github, gitlab } = pipelines(model);
    const ghScript = step(github.jobs['smoke-worker'], /^Smoke/).run ?? '';
    const glScript = ((gitlab['k6-smoke-worker'] as { script: string[] }).script[0] ?? '') as string;
    for (const script of [ghScript, glScript]) {
      const r = sh(script, REPO_ROOT, { BASE_URL: '' });
      expect(r.code).toBe(1);
      expect(r.out).toContain('set the CI variable WORKER_STAGING_URL');
    }
    expect(existsSync(path.join(REPO_ROOT, 'k6-summary-worker.json'))).toBe(false);
  });
});

describe('the smoke step with the real k6 (the exact GitHub step script and job env, a local service)', { timeout: TOOL_TIMEOUT_MS }, () => {
  const model = MODELS['example'] as PlatformModel;
  const service = model.services[0];
  const k6 = path.join(REPO_ROOT, '.tools/k6');
  it('exits 0 against a healthy service and leaves the summary, JUnit and Markdown the artifacts name', async () => {
    if (!requireTool(existsSync(k6), 'k6 (.tools/k6)')) return;
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const repo = repository(model, readFileSync(EXAMPLE_MANIFEST, 'utf8'));
    try {
      const job = pipelines(model).github.jobs[`smoke-${service?.name}`];
      const env = {
        ...job?.env,
        BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        PATH: `${path.dirname(k6)}:${process.env['PATH'] ?? ''}`,
      };
      const r = await shAsync(step(job, /^Smoke/).run ?? '', repo.dir, env);
      expect(r.code, r.out).toBe(0);
      for (const file of [env['K6_SUMMARY_PATH'], env['K6_JUNIT_PATH'], env['K6_MARKDOWN_PATH']])
        expect(existsSync(path.join(repo.dir, String(file))), String(file)).toBe(true);
      expect(readFileSync(path.join(repo.dir, String(env['K6_JUNIT_PATH'])), 'utf8')).toMatch(/<testsuites?[\s>]/);
    } finally {
      repo.cleanup();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
