import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse as yamlParse, stringify as yamlStringify } from 'yaml';
import { AJV_OPTIONS, GENERATED_FILE, INPUT_TYPE_FILE, inputTypeModuleSource, validatorModuleSource } from '../scripts/compile-schema.mjs';
import { loadManifestSchema, schemaErrors } from '../src/manifest/schema.js';
import { EXAMPLE_MANIFEST, MINIMAL, VARIED } from './helpers.js';

describe('precompiled manifest schema validator', () => {
  it('is up to date with schema/platform.schema.json (else run: node packages/generator/scripts/compile-schema.mjs)', () => {
    expect(readFileSync(GENERATED_FILE, 'utf8') === validatorModuleSource(), 'src/manifest/schema-validator.generated.ts is stale').toBe(true);
  });

  it('the manifest input type is up to date with the schema (else run: node packages/generator/scripts/compile-schema.mjs)', async () => {
    expect(readFileSync(INPUT_TYPE_FILE, 'utf8') === (await inputTypeModuleSource()), 'src/manifest/manifest-input.generated.ts is stale').toBe(true);
  });

  it('reports exactly the errors Ajv compiled at run time reports', () => {
    const runtime = new Ajv2020(AJV_OPTIONS).compile(loadManifestSchema());
    const example = yamlParse(readFileSync(EXAMPLE_MANIFEST, 'utf8')) as Record<string, unknown>;
    const cases: unknown[] = [
      example,
      yamlParse(MINIMAL),
      yamlParse(VARIED),
      null,
      [],
      'services',
      {},
      { services: [] },
      { services: [{ name: 'Bad Name', port: 'x', prot: 1, slos: { availability: { objective: '99.9%' }, latency: { objective: 'fast' } } }] },
      { ...example, environment: 'a b', collector: { version: 1, extra: true }, backends: { metrics: { type: 'prometheus-remote', endpoint: 'x y' } } },
      { services: [{ name: 'a', port: 70000, endpoints: [{ method: 'FETCH', route: 'no-slash' }], dependencies: ['a', 'a'] }] },
    ];
    let invalid = 0;
    for (const data of cases) {
      const expected = runtime(data) ? [] : [...(runtime.errors ?? [])];
      if (expected.length > 0) invalid++;
      expect(yamlStringify(schemaErrors(data))).toBe(yamlStringify(expected));
    }
    expect(invalid).toBe(cases.length - 3);
  });
});
