import { readCappedFile } from '../read-capped-file.js';
import { ENDPOINT_METRICS, PHASES, type Phase } from './summary-contract.js';

/** A k6 JSON summary is a few kB per endpoint; anything this large is not one. */
export const MAX_SUMMARY_BYTES = 8 * 1024 * 1024;

/** What one run measured for one endpoint (or for all requests); undefined: not in the summary. */
export interface EndpointStats {
  readonly requests: number | undefined;
  readonly errorRate: number | undefined;
  readonly p95Ms: number | undefined;
  readonly p99Ms: number | undefined;
}

export interface RunSummary {
  readonly file: string;
  /** From the `platform` block the generated script adds; undefined in a plain k6 summary. */
  readonly service: string | undefined;
  readonly phase: Phase | undefined;
  /** Per endpoint (its k6 `name` tag), sorted by name. */
  readonly endpoints: ReadonlyMap<string, EndpointStats>;
  readonly overall: EndpointStats;
}

/** A summary that cannot be compared: the message names the file, the hint says what to do. */
export class SummaryInputError extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.name = 'SummaryInputError';
    this.hint = hint;
  }
}

const HINT_PRODUCE = 'pass the K6_SUMMARY_PATH file a script from "platform generate" wrote (k6 run -e K6_SUMMARY_PATH=...)';
const SUBMETRIC = /^(http_reqs|http_req_duration|http_req_failed)\{name:(.*)\}$/s;

type Values = Record<string, unknown>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finite(values: Values | undefined, key: string): number | undefined {
  const v = values?.[key];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

function stats(metrics: Record<string, unknown>, suffix: string): EndpointStats {
  const values = (metric: string): Values | undefined => {
    const m = metrics[`${metric}${suffix}`];
    return isRecord(m) && isRecord(m['values']) ? m['values'] : undefined;
  };
  const duration = values(ENDPOINT_METRICS.duration);
  return {
    requests: finite(values(ENDPOINT_METRICS.requests), 'count'),
    errorRate: finite(values(ENDPOINT_METRICS.failed), 'rate'),
    p95Ms: finite(duration, 'p(95)'),
    p99Ms: finite(duration, 'p(99)'),
  };
}

/** Parses a k6 JSON summary written by the generated script into per-endpoint figures. */
export function parseSummary(text: string, file: string): RunSummary {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SummaryInputError(`${file}: not JSON (${(e as Error).message})`, HINT_PRODUCE);
  }
  if (!isRecord(data) || !isRecord(data['metrics'])) throw new SummaryInputError(`${file}: not a k6 summary (no "metrics" object)`, HINT_PRODUCE);
  const metrics = data['metrics'];
  const names: string[] = [];
  for (const key of Object.keys(metrics)) {
    const m = SUBMETRIC.exec(key);
    if (m && !names.includes(m[2] as string)) names.push(m[2] as string);
  }
  // k6 orders the summary by its own rules: a stable table is sorted by name.
  names.sort();
  if (names.length === 0) {
    throw new SummaryInputError(
      `${file}: no per-endpoint sub-metrics (http_req_duration{name:...})`,
      'the script predates "platform loadtest compare": run "platform generate", rerun k6 and compare the new summaries',
    );
  }
  const platform = isRecord(data['platform']) ? data['platform'] : {};
  const service = typeof platform['service'] === 'string' ? platform['service'] : undefined;
  const phase = PHASES.find((p) => p === platform['phase']);
  return {
    file,
    service,
    phase,
    endpoints: new Map(names.map((n) => [n, stats(metrics, `{name:${n}}`)])),
    overall: stats(metrics, ''),
  };
}

/** Reads and parses one summary file, at most MAX_SUMMARY_BYTES. */
export function readSummaryFile(fullPath: string, shownAs: string): RunSummary {
  const r = readCappedFile(fullPath, MAX_SUMMARY_BYTES);
  if (!r.ok) {
    const why = {
      missing: 'no such file',
      'not-regular': `not a regular file (${r.detail})`,
      'too-large': `larger than ${MAX_SUMMARY_BYTES / 1024 / 1024} MB (${r.detail})`,
      unreadable: `cannot read it (${r.detail})`,
    }[r.reason];
    throw new SummaryInputError(`${shownAs}: ${why}`, HINT_PRODUCE);
  }
  return parseSummary(r.bytes.toString('utf8'), shownAs);
}
