import path from 'node:path';
import { UsageError } from '../errors.js';
import { DEFAULT_ALLOWANCE, compareSummaries, type RegressionAllowance } from '../loadtest/compare.js';
import { describeAllowance, formatComparison } from '../loadtest/format-comparison.js';
import { SummaryInputError, readSummaryFile, type RunSummary } from '../loadtest/read-summary.js';

/** Exit codes of `platform loadtest compare`. */
export const LOADTEST_EXIT = { ok: 0, regressed: 1, badInput: 2 } as const;

export const LOADTEST_HELP = `Usage: platform loadtest compare <baseline.json> <current.json> [options]

Regression gate: compares two k6 JSON summaries written by the generated scripts (K6_SUMMARY_PATH)
per endpoint and for all requests, prints baseline, current, change and verdict, and fails when
the current run is worse than the allowance, even while it still meets the SLO.
  --max-p95-regression P        allowed p95 latency increase, percent (default ${DEFAULT_ALLOWANCE.p95 * 100}%)
  --max-p99-regression P        allowed p99 latency increase, percent (default ${DEFAULT_ALLOWANCE.p99 * 100}%)
  --max-error-rate-increase P   allowed error rate increase, in percentage points
                                (default ${DEFAULT_ALLOWANCE.errorRate * 100}%: 0% -> 0.1% passes, 0% -> 0.2% fails)
  --min-latency-increase T      latency increases up to T never count, noise on short runs
                                (default ${DEFAULT_ALLOWANCE.minLatencyIncreaseMs}ms; 50ms, 0.1s)
Compare runs of the same service and of the load (PHASE=load or all): a smoke run is refused.
Endpoints only one run exercised are listed, not judged.
Exit codes: 0 within the allowance, 1 regressed, 2 bad input or usage.`;

/** `20%` or `20` -> 0.2. */
function parsePercent(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag} must be a percentage like 20% (got "${text}")`);
  return Number(m[1]) / 100;
}

/** `5ms`, `0.1s` or `5` (milliseconds) -> milliseconds. */
function parseMilliseconds(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag} must be a duration like 5ms or 0.1s (got "${text}")`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}

interface CompareArgs {
  files: string[];
  allowance: RegressionAllowance;
  help: boolean;
}

function parseCompareArgs(argv: readonly string[]): CompareArgs {
  const files: string[] = [];
  let allowance = { ...DEFAULT_ALLOWANCE };
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq > 0 && a.startsWith('--')) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--help' || flag === '-h') help = true;
    else if (flag === '--max-p95-regression') allowance = { ...allowance, p95: parsePercent(flag, value()) };
    else if (flag === '--max-p99-regression') allowance = { ...allowance, p99: parsePercent(flag, value()) };
    else if (flag === '--max-error-rate-increase') allowance = { ...allowance, errorRate: parsePercent(flag, value()) };
    else if (flag === '--min-latency-increase') allowance = { ...allowance, minLatencyIncreaseMs: parseMilliseconds(flag, value()) };
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  return { files, allowance, help };
}

/** Refuses pairs whose comparison would mean nothing. */
function checkComparable(baseline: RunSummary, current: RunSummary): void {
  if (baseline.service !== undefined && current.service !== undefined && baseline.service !== current.service) {
    throw new SummaryInputError(
      `${baseline.file} measured ${baseline.service}, ${current.file} measured ${current.service}`,
      'compare two runs of the same service',
    );
  }
  for (const s of [baseline, current]) {
    if (s.phase === 'smoke') {
      throw new SummaryInputError(`${s.file} is a smoke run (one request per endpoint)`, 'compare runs with PHASE=load or PHASE=all');
    }
  }
}

/** `platform loadtest <subcommand> ...` (argv after the word `loadtest`): arguments in, exit code out. */
export function runLoadtestCli(argv: readonly string[], io: { cwd: string; stdout(t: string): void; stderr(t: string): void }): number {
  try {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      (sub === undefined ? io.stderr : io.stdout)(`${LOADTEST_HELP}\n`);
      return sub === undefined ? LOADTEST_EXIT.badInput : LOADTEST_EXIT.ok;
    }
    if (sub !== 'compare') throw new UsageError(`unknown subcommand "${sub}" (the only one is "compare")`);
    const args = parseCompareArgs(rest);
    if (args.help) {
      io.stdout(`${LOADTEST_HELP}\n`);
      return LOADTEST_EXIT.ok;
    }
    if (args.files.length !== 2) throw new UsageError(`needs two summaries, <baseline.json> <current.json> (got ${args.files.length})`);
    const [baseline, current] = args.files.map((f) => readSummaryFile(path.resolve(io.cwd, f), f)) as [RunSummary, RunSummary];
    checkComparable(baseline, current);
    const comparison = compareSummaries(baseline, current, args.allowance);
    io.stdout(`${formatComparison(comparison)}\n`);
    const allowed = describeAllowance(args.allowance);
    if (comparison.regressions === 0) {
      io.stdout(`no regression beyond the allowance (${allowed})\n`);
      return LOADTEST_EXIT.ok;
    }
    io.stderr(`regressed: ${comparison.regressions} measure(s) beyond the allowance (${allowed})\n`);
    return LOADTEST_EXIT.regressed;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`platform loadtest: ${e.message}\nsee: platform loadtest --help\n`);
      return LOADTEST_EXIT.badInput;
    }
    if (e instanceof SummaryInputError) {
      io.stderr(`platform loadtest compare: ${e.message}\n    hint: ${e.hint}\n`);
      return LOADTEST_EXIT.badInput;
    }
    throw e;
  }
}
