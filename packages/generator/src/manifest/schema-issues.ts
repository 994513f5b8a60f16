import type { ErrorObject } from 'ajv/dist/2020.js';
import { didYouMean } from './did-you-mean.js';
import { LATENCY_OBJECTIVE_EXAMPLES } from './latency-objective.js';
import { isSecretBearingPath, maskedValue } from './literal-secrets.js';
import { formatPath } from './parse.js';
import { pointerToPath } from './passed-schema.js';
import type { ReportIssue } from './report-issue.js';

/**
 * What to write in a field whose value does not match its pattern: the fields (by dotted path),
 * the hint, and the example values the hint shows. Examples are real values: test/hints.test.ts
 * writes each into a manifest at every field the entry covers and validates it.
 */
export interface PatternHint {
  readonly field: RegExp;
  readonly hint: string;
  readonly examples: readonly string[];
}

const quoted = (examples: readonly string[]): string => examples.map((e) => `"${e}"`).join(' or ');

export const PATTERN_HINTS: readonly PatternHint[] = [
  {
    field: /^services\[\d+\]\.name$|dependencies\[\d+\]$/,
    examples: ['orders-api'],
    hint: 'use 1-63 lower-case letters, digits or "-", starting with a letter and ending with a letter or digit, e.g. orders-api (no quotes, braces, slashes or spaces)',
  },
  {
    field: /^services\[\d+\]\.owner$|^ci\.catalog\.owner$/,
    examples: ['orders-team', 'group:default/orders-team', 'user:jane.doe'],
    hint: 'a Backstage group or user reference, e.g. orders-team, group:default/orders-team or user:jane.doe',
  },
  {
    field: /^services\[\d+\]\.system$|^ci\.catalog\.system$/,
    examples: ['commerce', 'default/commerce'],
    hint: 'a Backstage system name, optionally with its namespace, e.g. commerce or default/commerce',
  },
  {
    field: /^grafana\.url$/,
    examples: ['https://grafana.example.com'],
    hint: 'the http(s) URL people open Grafana at, e.g. https://grafana.example.com (no credentials, no ${env:VAR})',
  },
  { field: /\.baseUrlVariable$/, examples: ['ORDERS_BASE_URL'], hint: 'a CI variable name in upper case, e.g. ORDERS_BASE_URL' },
  {
    field: /^ci\.manifest$/,
    examples: ['platform.yaml', 'deploy/platform.yaml'],
    hint: 'the manifest path relative to the repository root, without "..", e.g. deploy/platform.yaml',
  },
  {
    field: /^ci\.out$/,
    examples: ['.', 'deploy/generated'],
    hint: 'the --out folder relative to the repository root, "." or e.g. deploy/generated, without ".."',
  },
  { field: /^ci\.(k6|prometheus)Version$/, examples: ['1.3.0'], hint: 'a release version, e.g. 1.3.0' },
  { field: /^ci\.nodeVersion$/, examples: ['20', '22.11.0'], hint: 'a Node.js major or full version, e.g. 20 or 22.11.0' },
  { field: /^ci\.schedule$/, examples: ['17 3 * * *'], hint: 'a five-field cron in UTC, e.g. "17 3 * * *"' },
  { field: /^ci\.maxP95Regression$/, examples: ['20%', '12.5%'], hint: 'a percentage, e.g. 20% or 12.5%' },
  { field: /^ci\.setup$/, examples: ['npm ci'], hint: 'one line of shell, e.g. npm ci' },
  {
    field: /^backends\.otlp\[\d+\]\.name$/,
    examples: ['vendor_eu'],
    hint: 'use 1-32 lower-case letters, digits, "_" or "-", starting with a letter, e.g. vendor_eu',
  },
  { field: /latency\.objective$/, examples: LATENCY_OBJECTIVE_EXAMPLES, hint: `write it like ${quoted(LATENCY_OBJECTIVE_EXAMPLES)}` },
  { field: /window$/, examples: ['28d', '30d'], hint: 'a whole number of days, e.g. 28d or 30d' },
  { field: /route$/, examples: ['/orders/:id'], hint: 'a route template starting with "/", e.g. /orders/:id (letters, digits, . _ ~ : / -)' },
  { field: /endpoint$|Url$|baseUrl$/, examples: [], hint: 'host:port or http(s)://host:port/path without spaces or quotes; put secrets in ${env:VAR}' },
  { field: /^collector\.version$/, examples: ['0.144.0'], hint: 'e.g. 0.144.0' },
  { field: /^services\[\d+\]\.version$/, examples: ['1.4.2'], hint: 'letters, digits, . _ + -, e.g. 1.4.2' },
  { field: /Endpoint$/, examples: ['0.0.0.0:4317'], hint: 'host:port, e.g. 0.0.0.0:4317' },
  { field: /headers\./, examples: [], hint: 'header values cannot contain quotes or newlines' },
  {
    field: /^kubernetes\.(namespace|serviceNamespace)$/,
    examples: ['observability'],
    hint: 'a Kubernetes namespace (DNS-1123 label): 1-63 lower-case letters, digits or "-", starting and ending with a letter or digit, e.g. observability',
  },
];

/** Keys an older manifest may still carry, and where they live now. */
const MOVED_KEYS: Readonly<Record<string, string>> = {
  'collector.grpcEndpoint': 'collector.agent.grpcEndpoint (the agent; the gateway has its own collector.gateway.grpcEndpoint)',
  'collector.httpEndpoint': 'collector.agent.httpEndpoint (the agent; the gateway has its own collector.gateway.httpEndpoint)',
  'collector.healthCheckEndpoint': 'collector.agent.healthCheckEndpoint and collector.gateway.healthCheckEndpoint',
  'collector.gatewayEndpoint': 'collector.gateway.endpoint',
};

/** Maps one Ajv error to a manifest problem with a hint (did-you-mean, moved keys, pattern hints). */
export function schemaIssue(e: ErrorObject, at: ReportIssue): void {
  const path = pointerToPath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p['additionalProperty']);
      const moved = MOVED_KEYS[formatPath([...path, key])];
      if (moved) {
        at([...path, key], `"${key}" has moved`, `write it as ${moved}`, true);
        return;
      }
      const allowed = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
      const guess = didYouMean(key, allowed);
      at([...path, key], `unknown key "${key}"`, guess ? `did you mean "${guess}"?` : `allowed keys: ${allowed.join(', ')}`, true);
      return;
    }
    case 'required':
      at(path, `missing required field "${String(p['missingProperty'])}"`, `add "${String(p['missingProperty'])}:" here`);
      return;
    case 'enum': {
      const allowed = (p['allowedValues'] as unknown[]).map(String);
      const guess = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
      at(path, `must be one of: ${allowed.join(', ')}`, guess ? `did you mean "${guess}"?` : undefined);
      return;
    }
    case 'pattern': {
      const dotted = formatPath(path);
      const hint = PATTERN_HINTS.find((h) => h.field.test(dotted))?.hint;
      at(path, `invalid value ${isSecretBearingPath(path) ? maskedValue(e.data) : JSON.stringify(e.data)}`, hint ?? `must match ${String(p['pattern'])}`);
      return;
    }
    case 'propertyNames':
      return; // reported by the nested `pattern` error with the offending name
    case 'type': {
      const hint = numberInTextHint(e);
      at(path, e.message ?? e.keyword, hint);
      return;
    }
    default:
      at(path, e.message ?? e.keyword);
  }
}

/**
 * A number written as text where the schema wants a number: `99.9%` (YAML reads it as a string)
 * or `"99.9"`. The hint shows the number, and only when the field accepts it (its bounds and
 * integer-ness), so it never suggests a value that fails again.
 */
function numberInTextHint(e: ErrorObject): string | undefined {
  const wanted = (e.params as { type?: unknown }).type;
  if ((wanted !== 'number' && wanted !== 'integer') || typeof e.data !== 'string') return undefined;
  const m = /^\s*(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))\s*(%?)\s*$/.exec(e.data);
  if (m === null) return undefined;
  const value = Number(m[1]);
  if (!numberFits(value, wanted, e.parentSchema)) return undefined;
  if (m[2] !== '%') return `write ${value} without quotes (a number, not text)`;
  const inPercent = /%|percent/i.test(String((e.parentSchema as { description?: unknown } | undefined)?.description ?? ''));
  return inPercent ? `write ${value} (a number of percent, without "%")` : `write ${value} (a number, without "%")`;
}

function numberFits(value: number, type: 'number' | 'integer', schema: unknown): boolean {
  if (!Number.isFinite(value) || (type === 'integer' && !Number.isInteger(value))) return false;
  const s = (schema ?? {}) as Record<string, unknown>;
  const bound = (k: string): number | undefined => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
  const min = bound('minimum');
  const max = bound('maximum');
  const exMin = bound('exclusiveMinimum');
  const exMax = bound('exclusiveMaximum');
  const multipleOf = bound('multipleOf');
  return (
    (min === undefined || value >= min) &&
    (max === undefined || value <= max) &&
    (exMin === undefined || value > exMin) &&
    (exMax === undefined || value < exMax) &&
    (multipleOf === undefined || Number.isInteger(value / multipleOf))
  );
}
