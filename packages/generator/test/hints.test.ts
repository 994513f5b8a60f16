import { readFileSync } from 'node:fs';
import { HTTP_DURATION_BUCKETS_SECONDS, isBucketBoundary } from '@platform/conventions';
import { describe, expect, it } from 'vitest';
import { parse as yamlParse, stringify as yamlStringify } from 'yaml';
import { LATENCY_OBJECTIVE_EXAMPLES, parseLatencyObjective } from '../src/manifest/latency-objective.js';
import { formatPath } from '../src/manifest/parse.js';
import { PATTERN_HINTS } from '../src/manifest/schema-issues.js';
import { EXAMPLE_MANIFEST, MINIMAL, VARIED, manifestIssues as issuesOf } from './helpers.js';

type Json = Record<string, unknown>;
type Path = Array<string | number>;

function stringPaths(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (typeof v === 'string') out.push(prefix);
  else if (Array.isArray(v)) v.forEach((x, i) => stringPaths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) stringPaths(x, [...prefix, k], out);
  return out;
}
function setAt(data: Json, p: Path, value: unknown): Json {
  const copy = structuredClone(data);
  let parent = copy as Json;
  for (const seg of p.slice(0, -1)) parent = parent[seg as string] as Json;
  parent[p[p.length - 1] as string] = value;
  return copy;
}
/** Manifests with a string at every field a pattern hint covers (the example, the varied golden case, dependencies). */
const MANIFESTS = [
  readFileSync(EXAMPLE_MANIFEST, 'utf8'),
  VARIED,
  `services:\n  - { name: a, port: 1, dependencies: [b], slos: { availability: { objective: 99 } } }\n  - { name: b, port: 2, slos: { availability: { objective: 99 } } }\n`,
].map((t) => yamlParse(t) as Json);

describe('hints only suggest valid values', () => {
  it('every example in every pattern hint is shown by it and is accepted at every field the hint covers', () => {
    for (const entry of PATTERN_HINTS) {
      let fields = 0;
      for (const example of entry.examples) {
        expect(entry.hint).toContain(example);
        for (const data of MANIFESTS) {
          for (const p of stringPaths(data).filter((q) => entry.field.test(formatPath(q)))) {
            fields++;
            const at = issuesOf(yamlStringify(setAt(data, p, example))).filter((i) => i.path === formatPath(p));
            // A listener example may share its port with another listener of the same collector.
            expect(
              at.filter((i) => !/is already used by/.test(i.message)),
              `${example} at ${formatPath(p)}`,
            ).toEqual([]);
          }
        }
      }
      if (entry.examples.length > 0) expect(fields, `no field tested for ${String(entry.field)}`).toBeGreaterThan(0);
    }
  });

  it('latency examples parse and their thresholds are bucket boundaries; the hint for a bad objective shows them', () => {
    expect(LATENCY_OBJECTIVE_EXAMPLES.length).toBeGreaterThan(0);
    for (const e of LATENCY_OBJECTIVE_EXAMPLES) {
      const parsed = parseLatencyObjective(e);
      expect(parsed, e).toBeDefined();
      expect(isBucketBoundary(HTTP_DURATION_BUCKETS_SECONDS, parsed?.thresholdSeconds ?? -1), e).toBe(true);
    }
    const [i] = issuesOf(MINIMAL.replace('availability: { objective: 99.5 }', 'latency: { objective: "fast" }'));
    expect(i?.hint).toBe('write it like "p95 < 250ms" or "99% < 1s"');
  });

  it('a credential hint suggests a header value that is accepted, keeping the scheme', () => {
    for (const [name, value, suggested] of [
      ['Authorization', 'Basic admin:hunter2', 'Basic ${env:AUTHORIZATION}'],
      ['Authorization', 'hunter2hunter2', 'Bearer ${env:AUTHORIZATION}'],
      ['X-Api-Key', 'sk_live_51HbQ2xKd8s0Zq9PpLmNoPqRsTuV', '${env:X_API_KEY}'],
      ['1st-token', 'sk_live_51HbQ2xKd8s0Zq9PpLmNoPqRsTuV', '${env:_1ST_TOKEN}'],
    ] as const) {
      const manifest = (v: string): string =>
        `backends:\n  metrics:\n    type: prometheus-remote-write\n    endpoint: https://p:9090/api/v1/write\n    headers: { ${name}: '${v}' }\n${MINIMAL}`;
      const [i] = issuesOf(manifest(value));
      expect(i?.hint, `${name}: ${value}`).toBe(`reference an environment variable instead, e.g. ${name}: "${suggested}"`);
      expect(issuesOf(manifest(suggested)), suggested).toEqual([]);
    }
  });
});

describe('numbers written as text get a hint with the number', () => {
  const withObjective = (v: string): string => MINIMAL.replace('objective: 99.5', `objective: ${v}`);
  it.each([
    ['99.9%', 'write 99.9 (a number of percent, without "%")'],
    ['"99.9"', 'write 99.9 without quotes (a number, not text)'],
    ["'99.9 %'", 'write 99.9 (a number of percent, without "%")'],
  ])('availability objective %s', (written, hint) => {
    const [i] = issuesOf(withObjective(written));
    expect(i).toMatchObject({ path: 'services[0].slos.availability.objective', message: 'must be number', hint });
    const suggested = /^write ([0-9.]+)/.exec(hint)?.[1] as string;
    expect(issuesOf(withObjective(suggested))).toEqual([]);
  });
  it('no hint with a number the field would refuse again (150% is over 100; "80.5" is no port)', () => {
    const [over] = issuesOf(withObjective('150%'));
    expect(over?.message).toBe('must be number');
    expect(over?.hint).toBeUndefined();
    const [port] = issuesOf(MINIMAL.replace('port: 3000', 'port: "80.5"'));
    expect(port?.message).toBe('must be integer');
    expect(port?.hint).toBeUndefined();
    expect(issuesOf(MINIMAL.replace('port: 3000', 'port: "8080"'))[0]).toMatchObject({ hint: 'write 8080 without quotes (a number, not text)' });
  });
});
