import type { PathSegment } from './parse.js';
import type { ReportIssue } from './report-issue.js';

/** The runner counts near `wanted` that split `rate` evenly (largest below, smallest above). */
function evenSplitsNear(rate: number, wanted: number): number[] {
  const divisors = Array.from({ length: rate }, (_, i) => i + 1).filter((d) => rate % d === 0);
  const below = divisors.filter((d) => d < wanted).at(-1);
  const above = divisors.find((d) => d > wanted);
  return [below, above].filter((d): d is number => d !== undefined);
}

/**
 * `load.parallelism` against `load.rate`. The k6-operator gives each of the N runners the execution
 * segment i/N..(i+1)/N, so each runs rate/N requests per second and applies every threshold to
 * its own share. More runners than requests per second leaves runners idle, and an uneven split
 * gives runners different loads (their thresholds then judge different samples): both refused.
 */
export function checkLoadParallelism(rate: number, parallelism: number, path: PathSegment[], at: ReportIssue): void {
  if (parallelism === 1) return;
  if (parallelism > rate) {
    at(path, `parallelism ${parallelism} is more runners than the ${rate} requests per second of load.rate`, `use at most ${rate}, or raise load.rate`);
    return;
  }
  if (rate % parallelism !== 0) {
    const near = evenSplitsNear(rate, parallelism);
    at(
      path,
      `parallelism ${parallelism} does not split load.rate ${rate} evenly (each runner runs rate/parallelism requests per second)`,
      `use ${near.join(' or ')} runners, or a load.rate divisible by ${parallelism}`,
    );
  }
}
