import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli/run.js';
import { ManifestError, type ManifestIssue } from '../src/errors.js';
import { loadManifest } from '../src/manifest/validate.js';
import type { PlatformModel } from '../src/model.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const EXAMPLE_MANIFEST = path.join(REPO_ROOT, 'examples/platform.yaml');

export function exampleModel(): PlatformModel {
  return loadManifest(readFileSync(EXAMPLE_MANIFEST, 'utf8'), 'examples/platform.yaml');
}

export const MINIMAL = `services:
  - name: tiny
    port: 3000
    slos:
      availability: { objective: 99.5 }
`;

/** A second shape: several services, 28d windows, latency-only SLO, old collector, vendor (also a golden case). */
export const VARIED = readFileSync(fileURLToPath(new URL('./fixtures/varied/platform.yaml', import.meta.url)), 'utf8');

export function variedModel(): PlatformModel {
  return loadManifest(VARIED, 'varied.yaml');
}

/** The issues `loadManifest` reports for `text` (read as m.yaml); [] when it accepts it. */
export function manifestIssues(text: string): ManifestIssue[] {
  try {
    loadManifest(text, 'm.yaml');
    return [];
  } catch (e) {
    if (e instanceof ManifestError) return [...e.issues];
    throw e;
  }
}

/** The issues of a manifest that must be refused: throws when `loadManifest` accepts it. */
export function refusalIssues(text: string): ManifestIssue[] {
  const issues = manifestIssues(text);
  if (issues.length === 0) throw new Error('expected the manifest to be refused');
  return issues;
}

export function tempDir(prefix = 'platform-gen-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function cli(argv: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = runCli(argv, { cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Real tools are required in CI; locally a missing tool skips with a printed reason. */
export function requireTool(available: boolean, name: string): boolean {
  if (available) return true;
  if (process.env['CI'] === 'true') throw new Error(`${name} is required in CI but was not found`);
  console.warn(`skipping: ${name} not found (set CI=true to make this a failure)`);
  return false;
}

/** Every file under `dir` (relative path -> content; symlinks as "symlink"), to prove a tree unchanged. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out[r] = e.isSymbolicLink() ? 'symlink' : readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return out;
}
