/**
 * The real OpenTelemetry Collector and k6 binaries from ../shared/tools (see its README), unpacked
 * into the git-ignored `.tools/` of the repository by `.ci/test-all.sh` or, on first use, here.
 * Outside CI a test may skip with a printed reason when they are absent; with CI=true it fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './example-service.js';

export const TOOLS_DIR = path.join(REPO_ROOT, '.tools');
const INSTALL_SCRIPT = path.join(REPO_ROOT, '../shared/tools/install.sh');

/** The collector binaries, oldest first, with the exporter names each one knows. */
export const COLLECTORS = [
  { version: '0.117.0', binary: 'otelcol-0.117.0' },
  { version: '0.156.0', binary: 'otelcol-0.156.0' },
] as const;
export type CollectorVersion = (typeof COLLECTORS)[number]['version'];

export function toolPath(name: string): string {
  return path.join(TOOLS_DIR, name);
}

let installTried = false;
function installIfPossible(): void {
  if (installTried) return;
  installTried = true;
  const missing = [...COLLECTORS.map((c) => c.binary), 'k6'].some((b) => !existsSync(toolPath(b)));
  if (!missing || !existsSync(INSTALL_SCRIPT)) return;
  spawnSync('bash', [INSTALL_SCRIPT, TOOLS_DIR], { stdio: 'inherit', timeout: 120_000 });
}

/** Reason to skip a test that runs otelcol and k6, or undefined to run it (throws on CI). */
export function realToolsSkipReason(): string | undefined {
  installIfPossible();
  const absent = [...COLLECTORS.map((c) => c.binary), 'k6'].filter((b) => !existsSync(toolPath(b)));
  if (absent.length === 0) return undefined;
  const reason = `${absent.join(', ')} not in ${TOOLS_DIR} (run: bash ../shared/tools/install.sh .tools)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; required on CI`);
  console.warn(`skipping real collector/k6 tests: ${reason}`);
  return reason;
}

/** Environment for every collector a test starts: never contact cloud metadata addresses. */
export const COLLECTOR_ENV = { AWS_EC2_METADATA_DISABLED: 'true' } as const;

/** `otelcol validate --config file`: exit status and output. */
export function validateCollectorConfig(version: CollectorVersion, configFile: string, env: Record<string, string> = {}): { ok: boolean; output: string } {
  const binary = COLLECTORS.find((c) => c.version === version)!.binary;
  const r = spawnSync(toolPath(binary), ['validate', `--config=${configFile}`], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...COLLECTOR_ENV, ...env },
  });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
