import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as yamlParse, stringify as yamlStringify } from 'yaml';
import { ManifestError } from '../src/errors.js';
import { loadManifest } from '../src/manifest/validate.js';
import { EXAMPLE_MANIFEST, VARIED } from './helpers.js';

function problems(text: string): string[] {
  try {
    loadManifest(text, 'm.yaml');
  } catch (e) {
    if (e instanceof ManifestError) return e.issues.map((i) => `${i.line}:${i.col} ${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}

describe('validate reports every problem in one run', () => {
  it('a typo, a non-bucket latency threshold and a literal password: all three, ordered by position', () => {
    const text = `backends:
  metrics:
    type: prometheus-remote-write
    endpoint: https://prometheus:9090/api/v1/write
    headers: { Authorization: "Basic admin:hunter2" }
services:
  - name: api
    prot: 8080
    slos:
      latency: { objective: "p95 < 300ms" }
`;
    expect(problems(text)).toEqual([
      '5:31 backends.metrics.headers.Authorization: literal credential in header',
      '7:5 services[0]: missing required field "port"',
      '8:5 services[0].prot: unknown key "prot"',
      '10:29 services[0].slos.latency.objective: latency threshold 300ms is not a histogram bucket boundary',
    ]);
  });

  it('semantic checks still run on the parts that passed the schema, and skip the parts that did not', () => {
    const text = `services:
  - name: api
    port: 8080
    slos: { latency: { objective: "p95 < 300ms" } }
  - name: api
    port: "not a port"
    slos: { latency: { objective: 42 } }
`;
    expect(problems(text)).toEqual([
      '4:35 services[0].slos.latency.objective: latency threshold 300ms is not a histogram bucket boundary',
      '5:11 services[1].name: duplicate service name "api"',
      '6:11 services[1].port: must be integer',
      '7:35 services[1].slos.latency.objective: must be string',
    ]);
  });

  it('a schema problem alone is reported as before (no semantic noise from the broken part)', () => {
    expect(problems('services:\n  - name: api\n    port: 8080\n    slos: { latency: { objective: [] } }\n')).toEqual([
      '4:35 services[0].slos.latency.objective: must be string',
    ]);
  });
});

// --- the semantic checks never crash on schema-invalid data ----------------------------------
type Json = Record<string, unknown>;
type Path = Array<string | number>;
function paths(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}
const BASES = [readFileSync(EXAMPLE_MANIFEST, 'utf8'), VARIED].map((t) => yamlParse(t) as Json);
const BASE_PATHS = BASES.map((b) => paths(b).filter((p) => p.length > 0));
/** Values of every JSON type, including the shapes the checks read (names, URLs, objectives, ports). */
const wrongValue = fc.oneof(
  fc.constantFrom('', 'api', 'http://x:1', 'p95 < 300ms', '0.0.0.0:4317', '${file:/x}', 'Basic a:b', '0.100.0'),
  fc.integer({ min: -2, max: 70_000 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.constantFrom('api', 1, null, {}), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('name', 'insecure', 'endpoint', 'auth', 'tls', 'x'), fc.constantFrom('api', true, 1, null, {}, []), { maxKeys: 3 }),
);

describe('the semantic checks on schema-invalid data', () => {
  it('loadManifest on mutated manifests throws nothing but ManifestError (1000 runs)', () => {
    fc.assert(
      fc.property(fc.nat({ max: BASES.length - 1 }), fc.array(fc.tuple(fc.nat(), wrongValue, fc.boolean()), { minLength: 1, maxLength: 4 }), (base, edits) => {
        const data = structuredClone(BASES[base]) as Json;
        const all = BASE_PATHS[base] as Path[];
        for (const [n, value, remove] of edits) {
          const p = all[n % all.length] as Path;
          let parent: unknown = data;
          for (const seg of p.slice(0, -1)) parent = parent && typeof parent === 'object' ? (parent as Json)[seg as string] : undefined;
          if (!parent || typeof parent !== 'object') continue;
          const last = p[p.length - 1] as string;
          if (remove) delete (parent as Json)[last];
          else (parent as Json)[last] = structuredClone(value);
        }
        try {
          loadManifest(yamlStringify(data), 'm.yaml');
        } catch (e) {
          if (!(e instanceof ManifestError)) throw e;
          expect(e.issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  }, 60_000);
});
