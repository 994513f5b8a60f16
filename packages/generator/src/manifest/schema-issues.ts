import type { ErrorObject } from 'ajv/dist/2020.js';
import { didYouMean } from './did-you-mean.js';
import { isSecretBearingPath, maskedValue } from './literal-secrets.js';
import { formatPath } from './parse.js';
import { pointerToPath } from './passed-schema.js';
import type { ReportIssue } from './report-issue.js';

const PATTERN_HINTS: ReadonlyArray<[RegExp, string]> = [
  [/(^|\.)name$|dependencies\[\d+\]$/, 'use 1-63 lower-case letters, digits or "-", starting with a letter (no quotes, braces, slashes or spaces)'],
  [/objective$/, 'write it like "p95 < 300ms" or "99% < 1s"'],
  [/window$/, 'a whole number of days, e.g. 28d or 30d'],
  [/route$/, 'a route template starting with "/", e.g. /orders/:id (letters, digits, . _ ~ : / -)'],
  [/endpoint$|Url$|baseUrl$/, 'host:port or http(s)://host:port/path without spaces or quotes; put secrets in ${env:VAR}'],
  [/version$/, 'e.g. 0.144.0'],
  [/Endpoint$/, 'host:port, e.g. 0.0.0.0:4317'],
  [/headers\./, 'header values cannot contain quotes or newlines'],
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
      const hint = PATTERN_HINTS.find(([re]) => re.test(dotted))?.[1];
      at(path, `invalid value ${isSecretBearingPath(path) ? maskedValue(e.data) : JSON.stringify(e.data)}`, hint ?? `must match ${String(p['pattern'])}`);
      return;
    }
    case 'propertyNames':
      return; // reported by the nested `pattern` error with the offending name
    default:
      at(path, e.message ?? e.keyword);
  }
}
