import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  componentEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  parseEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderAll } from '../src/generate.js';
import { loadManifest } from '../src/manifest/validate.js';
import type { PlatformModel } from '../src/model.js';
import { exampleModel, variedModel } from './helpers.js';
import { compileCiSchema, schemaErrors } from './support/ci-schemas.js';

/** What the Backstage catalog backend applies to every entity it ingests, then the kind's own validator. */
const POLICY = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
]);
const KIND_VALIDATORS = [componentEntityV1alpha1Validator, locationEntityV1alpha1Validator];

/** The catalog-model verdict: the error message, or undefined when Backstage would accept the entity. */
async function backstageError(entity: unknown): Promise<string | undefined> {
  try {
    const e = await POLICY.enforce(structuredClone(entity) as Entity);
    if (!e) return 'rejected by the entity policies';
    const results = await Promise.all(KIND_VALIDATORS.map((v) => v.check(e)));
    if (!results.includes(true)) return `no kind validator accepts ${e.kind}`;
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

const schema = compileCiSchema('backstage-catalog-info.json');

function catalogFiles(model: PlatformModel): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const [file, content] of renderAll(model)) if (file.startsWith('loadtests/ci/catalog/')) out.set(file, parse(content) as Record<string, unknown>);
  return out;
}

const MODELS = { example: exampleModel(), varied: variedModel() };

describe('Backstage catalog entries (loadtests/ci/catalog/)', () => {
  for (const [name, model] of Object.entries(MODELS)) {
    it(`${name}: every entry is accepted by @backstage/catalog-model and by the SchemaStore schema`, async () => {
      const files = catalogFiles(model);
      expect([...files.keys()].sort()).toEqual(
        ['loadtests/ci/catalog/catalog-info.yaml', ...model.services.map((s) => `loadtests/ci/catalog/${s.name}/catalog-info.yaml`)].sort(),
      );
      for (const [file, entity] of files) {
        expect(await backstageError(entity), file).toBeUndefined();
        expect(schemaErrors(schema, entity), file).toEqual([]);
      }
    });

    it(`${name}: the Location lists exactly the service entries, relative to itself`, () => {
      const files = catalogFiles(model);
      const location = files.get('loadtests/ci/catalog/catalog-info.yaml') as { spec: { targets: string[] } };
      const listed = location.spec.targets.map((t) => `loadtests/ci/catalog/${t.replace(/^\.\//, '')}`);
      expect(listed.sort()).toEqual([...files.keys()].filter((f) => f !== 'loadtests/ci/catalog/catalog-info.yaml').sort());
    });

    it(`${name}: each Component links the files generated for its service, which exist`, () => {
      const all = renderAll(model);
      const prefix = model.ci.out === '.' ? '' : `${model.ci.out}/`;
      for (const s of model.services) {
        const c = catalogFiles(model).get(`loadtests/ci/catalog/${s.name}/catalog-info.yaml`) as {
          metadata: { name: string; annotations: Record<string, string> };
          spec: { owner: string; lifecycle: string; system?: string };
        };
        expect(c.metadata.name).toBe(s.name);
        expect(c.spec).toMatchObject({ owner: s.catalog.owner, lifecycle: s.catalog.lifecycle });
        expect(c.spec.system).toBe(s.catalog.system);
        const a = c.metadata.annotations;
        for (const key of ['grafana-dashboard', 'prometheus-rules', 'prometheus-rule-tests', 'k6-loadtest']) {
          const p = a[`platform-observability/${key}`] ?? '';
          expect(p.startsWith(prefix), `${key}: ${p}`).toBe(true);
          expect(all.has(p.slice(prefix.length)), `${key}: ${p} is generated`).toBe(true);
        }
        // every alert the annotation names is an alert of this service's rule file
        const rules = parse(all.get(`collector/prometheus-rules/${s.name}.rules.yaml`) ?? '') as {
          groups: Array<{ rules: Array<{ alert?: string; labels?: Record<string, string> }> }>;
        };
        const alerts = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert);
        expect(new Set((a['prometheus.io/alert'] ?? '').split(','))).toEqual(new Set(alerts.map((r) => r.alert)));
        for (const r of alerts) expect(r.labels?.['service'], `${r.alert} carries the label prometheus.io/labels selects`).toBe(s.name);
        expect(a['prometheus.io/labels']).toBe(`service=${s.name}`);
        // the Grafana selector matches the tags the generated dashboard carries
        const dashboard = JSON.parse(all.get(`dashboards/services/${s.name}.json`) ?? '{}') as { tags: string[] };
        for (const tag of (a['grafana/dashboard-selector'] ?? '').matchAll(/tags @> '([^']+)'/g)) expect(dashboard.tags).toContain(tag[1]);
      }
    });
  }

  it('owner, system and lifecycle: the service wins over ci.catalog, then the defaults; refs parse as Backstage refs', () => {
    const m = loadManifest(
      `ci: { catalog: { owner: group:default/platform, system: shop, lifecycle: experimental } }
services:
  - { name: a, port: 1, slos: { availability: { objective: 99 } } }
  - { name: b, port: 2, owner: user:jane.doe, system: other/payments, lifecycle: deprecated, dependencies: [a, external-api], slos: { availability: { objective: 99 } } }
`,
      'm.yaml',
    );
    expect(m.services.map((s) => s.catalog)).toEqual([
      { owner: 'group:default/platform', system: 'shop', lifecycle: 'experimental' },
      { owner: 'user:jane.doe', system: 'other/payments', lifecycle: 'deprecated' },
    ]);
    expect(parseEntityRef('user:jane.doe', { defaultKind: 'Group', defaultNamespace: 'default' })).toEqual({
      kind: 'user',
      namespace: 'default',
      name: 'jane.doe',
    });
    const b = catalogFiles(m).get('loadtests/ci/catalog/b/catalog-info.yaml') as { spec: Record<string, unknown>; metadata: Record<string, unknown> };
    // dependencies on services of the manifest become relations; unknown ones are not invented
    expect(b.spec['dependsOn']).toEqual(['component:a']);
    // no grafana.url: no links, no URL annotation (only the tag selector)
    expect(b.metadata['links']).toBeUndefined();
    const bare = loadManifest('services: [{ name: a, port: 1, slos: { availability: { objective: 99 } } }]', 'm.yaml');
    expect(bare.services[0]?.catalog).toEqual({ owner: 'unknown', lifecycle: 'production' });
  });

  it('the validators reject a broken entry (so the checks above can fail)', async () => {
    const entity = catalogFiles(exampleModel()).get('loadtests/ci/catalog/orders-service/catalog-info.yaml') as {
      metadata: Record<string, unknown>;
      spec: Record<string, unknown>;
    };
    const noOwner = structuredClone(entity);
    delete noOwner.spec['owner'];
    expect(await backstageError(noOwner)).toMatch(/owner/);
    expect(schemaErrors(schema, noOwner)).not.toEqual([]);
    const badName = structuredClone(entity);
    badName.metadata['name'] = 'orders-';
    expect(await backstageError(badName)).toMatch(/name/);
    const badAnnotation = structuredClone(entity);
    badAnnotation.metadata['annotations'] = { 'not a key': 'x' };
    expect(await backstageError(badAnnotation)).toMatch(/annotation/i);
  });

  it('a service name Backstage would refuse is refused by the manifest schema first (exit 2 path)', () => {
    expect(() => loadManifest('services: [{ name: orders-, port: 1, slos: { availability: { objective: 99 } } }]', 'm.yaml')).toThrow(/services\[0\]\.name/);
  });
});
