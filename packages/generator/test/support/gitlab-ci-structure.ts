/**
 * A structural check of a GitLab CI file: what GitLab's own linter would refuse, or what would make
 * a job silently never run, for the subset of keywords the generated pipeline uses. Test-only; there
 * is no GitLab here and no upstream schema copy in ../shared/ci-schemas for it.
 *
 * Returns one line per problem (empty when sound).
 */
const GLOBAL_KEYS = new Set(['stages', 'variables', 'default', 'include', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script']);
const JOB_KEYS = new Set([
  'stage',
  'image',
  'rules',
  'needs',
  'script',
  'variables',
  'artifacts',
  'timeout',
  'before_script',
  'after_script',
  'allow_failure',
  'when',
  'tags',
  'cache',
  'retry',
  'interruptible',
]);
const RULE_KEYS = new Set(['if', 'when', 'changes', 'exists', 'allow_failure', 'variables', 'needs']);
const RULE_WHEN = new Set(['on_success', 'on_failure', 'always', 'never', 'manual', 'delayed']);
const ARTIFACT_KEYS = new Set(['paths', 'exclude', 'expire_in', 'when', 'reports', 'name', 'expose_as', 'untracked', 'public', 'access']);
const ARTIFACT_WHEN = new Set(['on_success', 'on_failure', 'always']);
/** `$CI_PIPELINE_SOURCE == "x"` joined by ||: the only rule shape the generator writes. */
const SOURCE_RULE = /^\$CI_PIPELINE_SOURCE == "([a-z_]+)"(?: \|\| \$CI_PIPELINE_SOURCE == "([a-z_]+)")*$/;
const PIPELINE_SOURCES = new Set([
  'push',
  'web',
  'trigger',
  'schedule',
  'api',
  'external',
  'pipeline',
  'chat',
  'merge_request_event',
  'external_pull_request_event',
  'parent_pipeline',
]);
const DURATION =
  /^\d+ ?(s|sec|seconds?|m|min|minutes?|h|hours?|d|days?|weeks?|months?|years?)( \d+ ?(s|sec|seconds?|m|min|minutes?|h|hours?|d|days?|weeks?))*$/;
const IMAGE_REF = /^[a-z0-9.-]+(\/[a-z0-9._-]+)*:[A-Za-z0-9._-]+$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The pipeline sources a job runs in, from its rules (undefined: no rules, runs everywhere). */
export function jobSources(job: Json): Set<string> | undefined {
  if (!Array.isArray(job['rules'])) return undefined;
  const out = new Set<string>();
  for (const r of job['rules'] as Json[]) {
    if (r['when'] === 'never') continue;
    const m = typeof r['if'] === 'string' ? [...r['if'].matchAll(/"([a-z_]+)"/g)].map((x) => x[1] ?? '') : [];
    for (const s of m) out.add(s);
  }
  return out;
}

export function gitlabStructureProblems(doc: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(doc)) return ['the file is not a mapping'];
  const stages = doc['stages'];
  if (!isStringArray(stages) || stages.length === 0) problems.push('stages: must be a non-empty list of names');
  else if (new Set(stages).size !== stages.length) problems.push('stages: names repeat');
  const stageList = isStringArray(stages) ? stages : [];
  const jobs = new Map<string, Json>();
  for (const [name, v] of Object.entries(doc)) {
    if (GLOBAL_KEYS.has(name) || name.startsWith('.')) continue;
    if (!isObject(v)) problems.push(`${name}: a job must be a mapping`);
    else jobs.set(name, v);
  }
  if (jobs.size === 0) problems.push('no jobs');
  for (const [name, job] of jobs) {
    for (const k of Object.keys(job)) if (!JOB_KEYS.has(k)) problems.push(`${name}: unknown job keyword ${k}`);
    if (typeof job['stage'] !== 'string' || !stageList.includes(job['stage'])) problems.push(`${name}: stage ${String(job['stage'])} is not in stages`);
    if (!isStringArray(job['script']) || job['script'].length === 0 || job['script'].some((l) => l.trim() === ''))
      problems.push(`${name}: script must be a non-empty list of commands`);
    const image = job['image'];
    const imageName = isObject(image) ? image['name'] : image;
    if (typeof imageName !== 'string' || !IMAGE_REF.test(imageName) || /:latest$/.test(imageName))
      problems.push(`${name}: image must be name:tag with a pinned tag`);
    if (isObject(image)) {
      for (const k of Object.keys(image)) if (!['name', 'entrypoint', 'pull_policy'].includes(k)) problems.push(`${name}: unknown image keyword ${k}`);
      if (image['entrypoint'] !== undefined && !isStringArray(image['entrypoint'])) problems.push(`${name}: image.entrypoint must be a list of strings`);
    }
    if (job['timeout'] !== undefined && (typeof job['timeout'] !== 'string' || !DURATION.test(job['timeout'])))
      problems.push(`${name}: timeout is not a duration`);
    if (job['variables'] !== undefined) {
      if (!isObject(job['variables'])) problems.push(`${name}: variables must be a mapping`);
      else
        for (const [k, v] of Object.entries(job['variables']))
          if (typeof v !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) problems.push(`${name}: variable ${k} must be NAME: string`);
    }
    // rules
    const rules = job['rules'];
    if (rules !== undefined) {
      if (!Array.isArray(rules) || rules.length === 0) problems.push(`${name}: rules must be a non-empty list`);
      else
        rules.forEach((r: unknown, i) => {
          if (!isObject(r)) return problems.push(`${name}: rules[${i}] must be a mapping`);
          for (const k of Object.keys(r)) if (!RULE_KEYS.has(k)) problems.push(`${name}: rules[${i}] unknown keyword ${k}`);
          if (r['when'] !== undefined && !RULE_WHEN.has(String(r['when']))) problems.push(`${name}: rules[${i}].when ${String(r['when'])}`);
          if (r['if'] !== undefined) {
            const m = typeof r['if'] === 'string' ? SOURCE_RULE.exec(r['if']) : null;
            if (!m) problems.push(`${name}: rules[${i}].if is not a pipeline-source condition`);
            else
              for (const s of [...(r['if'] as string).matchAll(/"([a-z_]+)"/g)])
                if (!PIPELINE_SOURCES.has(s[1] ?? '')) problems.push(`${name}: rules[${i}].if names an unknown pipeline source ${s[1]}`);
          }
          return undefined;
        });
    }
    // needs: existing jobs, in this or an earlier stage, present in every pipeline this job runs in
    const needs = job['needs'];
    if (needs !== undefined) {
      if (!Array.isArray(needs)) problems.push(`${name}: needs must be a list`);
      else
        for (const n of needs as unknown[]) {
          const target = typeof n === 'string' ? n : isObject(n) && typeof n['job'] === 'string' ? n['job'] : undefined;
          if (isObject(n))
            for (const k of Object.keys(n)) if (!['job', 'artifacts', 'optional'].includes(k)) problems.push(`${name}: needs entry unknown keyword ${k}`);
          const other = target === undefined ? undefined : jobs.get(target);
          if (!other) {
            problems.push(`${name}: needs ${String(target)}, which is not a job`);
            continue;
          }
          if (target === name) problems.push(`${name}: needs itself`);
          if (stageList.indexOf(String(other['stage'])) > stageList.indexOf(String(job['stage']))) problems.push(`${name}: needs ${target} of a later stage`);
          const mine = jobSources(job);
          const theirs = jobSources(other);
          if (theirs) {
            const missing = mine === undefined ? ['(every source)'] : [...mine].filter((s) => !theirs.has(s));
            if (missing.length && !(isObject(n) && n['optional'] === true))
              problems.push(`${name}: needs ${target}, which does not run in ${missing.join(', ')} pipelines`);
          }
        }
    }
    // artifacts
    const artifacts = job['artifacts'];
    if (artifacts !== undefined) {
      if (!isObject(artifacts)) problems.push(`${name}: artifacts must be a mapping`);
      else {
        for (const k of Object.keys(artifacts)) if (!ARTIFACT_KEYS.has(k)) problems.push(`${name}: artifacts unknown keyword ${k}`);
        if (artifacts['when'] !== undefined && !ARTIFACT_WHEN.has(String(artifacts['when'])))
          problems.push(`${name}: artifacts.when ${String(artifacts['when'])}`);
        if (artifacts['expire_in'] !== undefined && !DURATION.test(String(artifacts['expire_in'])))
          problems.push(`${name}: artifacts.expire_in is not a duration`);
        if (artifacts['paths'] !== undefined && !isStringArray(artifacts['paths'])) problems.push(`${name}: artifacts.paths must be a list`);
        const reports = artifacts['reports'];
        if (reports !== undefined) {
          if (!isObject(reports)) problems.push(`${name}: artifacts.reports must be a mapping`);
          else if (reports['junit'] !== undefined && typeof reports['junit'] !== 'string' && !isStringArray(reports['junit']))
            problems.push(`${name}: artifacts.reports.junit must be a path or a list`);
        }
      }
    }
  }
  // every stage has a job (an empty stage is a sign of a renamed job)
  for (const s of stageList) if (![...jobs.values()].some((j) => j['stage'] === s)) problems.push(`stage ${s} has no job`);
  return problems;
}
