import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

/**
 * Validation of generated Kubernetes objects, for tests:
 * - custom resources against the `openAPIV3Schema` of their CustomResourceDefinition, as the API
 *   server applies it (the upstream CRDs in ../shared/k8s-crds/, see its README);
 * - core objects (ConfigMap, Service, Deployment, RBAC, …) with `kubernetes-models`, whose
 *   classes validate against the Kubernetes OpenAPI definitions (`@kubernetes-models/validate`),
 *   and `unknownCoreFields` for the fields those schemas let through (they allow unknown ones).
 *
 * `validateKubernetesObject(obj)` returns the problems (empty = valid) and refuses kinds it has no
 * schema for, so a new kind cannot slip through unvalidated.
 *
 * How a structural CRD schema is turned into a JSON Schema Ajv enforces like the API server does
 * (with `kubectl apply`'s default `--validate=strict`, which rejects unknown fields instead of
 * silently pruning them):
 * - an object schema without `additionalProperties` and without
 *   `x-kubernetes-preserve-unknown-fields: true` gets `additionalProperties: false` (unknown
 *   fields are an error; with preserve-unknown-fields they are kept, so allowed);
 * - `x-kubernetes-embedded-resource: true` adds `apiVersion`, `kind` and `metadata` properties;
 * - `x-kubernetes-int-or-string: true` accepts an integer or a string, nothing else;
 * - `x-kubernetes-list-type: set` requires unique items; `map` requires the
 *   `x-kubernetes-list-map-keys` tuple to be unique across items (and present);
 * - `x-kubernetes-map-type` (a server-side apply hint) and `x-kubernetes-validations` (CEL) are
 *   accepted as annotations: CEL rules are not evaluated. The only CEL rules in these CRDs are the
 *   OpenTelemetryCollector's "sidecar mode may not set tolerations / priorityClassName", checked
 *   by `sidecarRules` below instead;
 * - Go RE2 patterns with `(?i)` are matched case-insensitively;
 * - formats int32/int64 are range-checked, date-time and duration shape-checked;
 * - the root's `apiVersion`/`kind` must be the CRD's group/served version/kind, and `metadata` is
 *   validated as an ObjectMeta (`kubernetes-models`) since the CRD leaves it to the API server.
 */

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CRD_DIR = path.join(REPO_ROOT, '../shared/k8s-crds/');

/** A Kubernetes object as the generator writes it (plain data). */
export interface KubernetesObject {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: unknown;
  readonly [key: string]: unknown;
}

type JsonSchema = Record<string, unknown>;

interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly schema?: { readonly openAPIV3Schema: JsonSchema };
}
interface Crd {
  readonly kind: string;
  readonly spec: { readonly group: string; readonly names: { readonly kind: string }; readonly scope: string; readonly versions: readonly CrdVersion[] };
}

/** CRD patterns are Go RE2: `(?i)` (case-insensitive; in these CRDs it governs the whole pattern) becomes the JavaScript `i` flag. */
const re2Pattern = Object.assign(
  (pattern: string, flags: string): RegExp => (pattern.includes('(?i)') ? new RegExp(pattern.replaceAll('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags)),
  { code: 'new RegExp' },
);
const ajv = new Ajv({
  allErrors: true,
  strict: true,
  strictRequired: false,
  strictTypes: false,
  unicodeRegExp: false,
  validateFormats: true,
  code: { regExp: re2Pattern },
});
for (const keyword of [
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-preserve-unknown-fields',
])
  ajv.addKeyword({ keyword });
ajv.addKeyword({
  keyword: 'x-kubernetes-int-or-string',
  schemaType: 'boolean',
  errors: true,
  validate: function intOrString(this: unknown, enabled: boolean, data: unknown) {
    return !enabled || typeof data === 'string' || (typeof data === 'number' && Number.isInteger(data));
  },
});
ajv.addKeyword({
  keyword: 'x-kubernetes-list-type',
  schemaType: 'string',
  validate: (listType: string, data: unknown, parent?: AnySchemaObject) => {
    if (!Array.isArray(data)) return true;
    if (listType === 'set') return new Set(data.map((d) => JSON.stringify(d))).size === data.length;
    if (listType === 'map') {
      const keys = (parent?.['x-kubernetes-list-map-keys'] ?? []) as string[];
      const seen = new Set<string>();
      for (const item of data) {
        if (item === null || typeof item !== 'object') return false;
        const id = JSON.stringify(keys.map((k) => (item as Record<string, unknown>)[k]));
        if (seen.has(id)) return false;
        seen.add(id);
      }
    }
    return true;
  },
});
const INT_RANGE = { int32: [-(2 ** 31), 2 ** 31 - 1], int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] } as const;
for (const [name, [min, max]] of Object.entries(INT_RANGE))
  ajv.addFormat(name, { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= min && n <= max });
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
// Go time.ParseDuration / metav1.Duration: "30s", "1h30m", "500ms".
ajv.addFormat('duration', /^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$|^0$/);

/** The structural CRD schema as a JSON Schema with the API server's unknown-field rule made explicit. */
function toAjvSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toAjvSchema);
  if (node === null || typeof node !== 'object') return node;
  const src = node as JsonSchema;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(src)) {
    // Keywords whose values are schemas (or maps/lists of schemas) are walked; the rest copied.
    if (k === 'properties' || k === 'patternProperties')
      out[k] = Object.fromEntries(Object.entries(v as JsonSchema).map(([name, s]) => [name, toAjvSchema(s)]));
    else if (k === 'items' || k === 'additionalProperties' || k === 'not') out[k] = typeof v === 'boolean' ? v : toAjvSchema(v);
    else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') out[k] = toAjvSchema(v);
    else out[k] = v;
  }
  if (src['x-kubernetes-embedded-resource'] === true) {
    const props = { ...((out['properties'] as JsonSchema | undefined) ?? {}) };
    props['apiVersion'] ??= { type: 'string' };
    props['kind'] ??= { type: 'string' };
    props['metadata'] ??= { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    out['properties'] = props;
  }
  const isObject = src['type'] === 'object' || (src['type'] === undefined && src['properties'] !== undefined);
  if (isObject && src['additionalProperties'] === undefined && src['x-kubernetes-preserve-unknown-fields'] !== true) out['additionalProperties'] = false;
  // An int-or-string node carries no `type` (or an anyOf of both): the keyword above checks it.
  return out;
}

interface CustomKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Compiled on first use: the OpenTelemetryCollector schema alone takes seconds. */
  validate(): ValidateFunction;
}

let customKinds: Map<string, CustomKind> | undefined;

/** Every served version of every CRD in ../shared/k8s-crds/, keyed `group/version Kind`. */
function loadCustomKinds(): Map<string, CustomKind> {
  if (customKinds) return customKinds;
  const kinds = new Map<string, CustomKind>();
  for (const file of readdirSync(CRD_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    for (const doc of parseAllDocuments(readFileSync(path.join(CRD_DIR, file), 'utf8'))) {
      const crd = doc.toJS() as Crd | null;
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const v of crd.spec.versions) {
        if (!v.served || !v.schema) continue;
        const openApi = v.schema.openAPIV3Schema;
        let compiled: ValidateFunction | undefined;
        kinds.set(`${crd.spec.group}/${v.name} ${crd.spec.names.kind}`, {
          group: crd.spec.group,
          version: v.name,
          kind: crd.spec.names.kind,
          namespaced: crd.spec.scope === 'Namespaced',
          validate: () => {
            if (compiled) return compiled;
            const root = toAjvSchema(openApi) as JsonSchema;
            // The API server validates metadata itself (checked with kubernetes-models below).
            const props = { ...(root['properties'] as JsonSchema), metadata: { type: 'object' } };
            compiled = ajv.compile({ ...root, properties: props, additionalProperties: false });
            return compiled;
          },
        });
      }
    }
  }
  customKinds = kinds;
  return kinds;
}

/** The custom kinds the helper can validate, as `group/version Kind` (for error messages and tests). */
export function customResourceKinds(): string[] {
  return [...loadCustomKinds().keys()].sort();
}

function formatAjvErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath === '' ? '(root)' : e.instancePath;
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${String((e.params as { additionalProperty: string }).additionalProperty)})`
        : e.keyword === 'enum'
          ? ` (${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)})`
          : '';
    return `${where}: ${e.keyword === 'x-kubernetes-int-or-string' ? 'must be an integer or a string' : (e.message ?? e.keyword)}${extra}`;
  });
}

/** The OpenTelemetryCollector CRD's CEL rules (x-kubernetes-validations on spec), as code. */
function sidecarRules(obj: KubernetesObject): string[] {
  const spec = obj['spec'] as Record<string, unknown> | undefined;
  if (spec?.['mode'] !== 'sidecar') return [];
  const problems: string[] = [];
  if (Array.isArray(spec['tolerations']) && spec['tolerations'].length > 0) problems.push('/spec: sidecar mode does not support tolerations');
  if (typeof spec['priorityClassName'] === 'string' && spec['priorityClassName'] !== '')
    problems.push('/spec: sidecar mode does not support priorityClassName');
  return problems;
}

type CoreModel = new (data: unknown) => { validate(): void };

/** Core kinds the generator writes (or may), `apiVersion Kind` -> the kubernetes-models module (class `Kind`, interface `IKind`). */
const CORE_KINDS: Readonly<Record<string, string>> = {
  'v1 ConfigMap': 'kubernetes-models/v1/ConfigMap',
  'v1 Secret': 'kubernetes-models/v1/Secret',
  'v1 Service': 'kubernetes-models/v1/Service',
  'v1 ServiceAccount': 'kubernetes-models/v1/ServiceAccount',
  'v1 Namespace': 'kubernetes-models/v1/Namespace',
  'apps/v1 Deployment': 'kubernetes-models/apps/v1/Deployment',
  'apps/v1 DaemonSet': 'kubernetes-models/apps/v1/DaemonSet',
  'rbac.authorization.k8s.io/v1 Role': 'kubernetes-models/rbac.authorization.k8s.io/v1/Role',
  'rbac.authorization.k8s.io/v1 RoleBinding': 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding',
  'rbac.authorization.k8s.io/v1 ClusterRole': 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole',
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding': 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'policy/v1 PodDisruptionBudget': 'kubernetes-models/policy/v1/PodDisruptionBudget',
  'networking.k8s.io/v1 NetworkPolicy': 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
  'autoscaling/v2 HorizontalPodAutoscaler': 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
};

/** The core kinds the helper can validate, as `apiVersion Kind`. */
export const CORE_RESOURCE_KINDS: readonly string[] = Object.keys(CORE_KINDS).sort();

const kindOf = (key: string): string => key.split(' ')[1] as string;

/**
 * Problems reported by the kubernetes-models class's validate() (it throws an error listing them).
 * Its schemas do not refuse unknown fields: `unknownCoreFields` covers that.
 */
async function validateCore(key: string, data: unknown): Promise<string[]> {
  const module = (await import(CORE_KINDS[key] as string)) as Record<string, CoreModel>;
  const Model = module[kindOf(key)] as CoreModel;
  try {
    new Model(data).validate();
    return [];
  } catch (e) {
    const err = e as Error & { errors?: ErrorObject[] };
    if (Array.isArray(err.errors)) return formatAjvErrors(err.errors);
    return [err.message];
  }
}

/**
 * Unknown fields in core objects (a typo such as `imagePullPolicyy`, a field at the wrong level),
 * which the API server prunes and `kubectl apply` (--validate=strict) rejects. Each object is
 * type-checked as an object literal against its kubernetes-models interface (`IConfigMap`, …):
 * TypeScript's excess-property check reports every field the Kubernetes API does not define, at
 * any depth. One compiler run for all objects (a few seconds); custom resources are skipped
 * (validateKubernetesObject already refuses their unknown fields).
 */
export function unknownCoreFields(objects: readonly KubernetesObject[]): string[] {
  const lines: string[] = [];
  const where: string[] = [];
  objects.forEach((obj, i) => {
    const key = `${String(obj.apiVersion)} ${String(obj.kind)}`;
    const module = CORE_KINDS[key];
    if (module === undefined) return;
    lines.push(`import type { I${kindOf(key)} as T${i} } from ${JSON.stringify(module)};`, `export const o${i}: T${i} = ${JSON.stringify(obj)};`);
    where.push(`o${i}`, `${key} ${String((obj.metadata as { name?: unknown } | undefined)?.name)}`);
  });
  if (lines.length === 0) return [];
  const file = path.join(REPO_ROOT, 'packages/generator/test/__virtual__/core-objects.ts');
  const options: ts.CompilerOptions = {
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options, true);
  const source = lines.join('\n');
  const original = { getSourceFile: host.getSourceFile, fileExists: host.fileExists, readFile: host.readFile };
  host.fileExists = (f) => f === file || original.fileExists.call(host, f);
  host.readFile = (f) => (f === file ? source : original.readFile.call(host, f));
  host.getSourceFile = (f, lang, onError, create) =>
    f === file ? ts.createSourceFile(f, source, lang, true) : original.getSourceFile.call(host, f, lang, onError, create);
  const program = ts.createProgram([file], options, host);
  const names = new Map<string, string>();
  for (let i = 0; i < where.length; i += 2) names.set(where[i] as string, where[i + 1] as string);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line = d.file && d.start !== undefined ? (d.file.getLineAndCharacterOfPosition(d.start).line as number) : -1;
    const decl = line >= 0 ? /export const (o\d+)/.exec(source.split('\n')[line] ?? '')?.[1] : undefined;
    return `${decl ? (names.get(decl) ?? decl) : '(file)'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Every problem the API server would report for `obj` (empty = valid), or a refusal when there is
 * no schema for its apiVersion/kind. Async because the core models are loaded on demand.
 */
export async function validateKubernetesObject(obj: KubernetesObject): Promise<string[]> {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return ['(root): a Kubernetes object must be a mapping'];
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['(root): apiVersion and kind must be strings'];
  const key = `${apiVersion} ${kind}`;
  if (key in CORE_KINDS) return [...(await validateCore(key, obj)), ...nameProblems(obj.metadata, !CLUSTER_SCOPED_CORE_KINDS.has(key))];
  const custom = loadCustomKinds().get(key);
  if (!custom) {
    return [
      `(root): no schema for ${key}: not a core kind this helper knows (${CORE_RESOURCE_KINDS.join(', ')}) nor a served version of a CRD in ../shared/k8s-crds/`,
    ];
  }
  const problems: string[] = [];
  const validate = custom.validate();
  if (!validate(obj)) problems.push(...formatAjvErrors(validate.errors));
  if (kind === 'OpenTelemetryCollector') problems.push(...sidecarRules(obj));
  // The CRD leaves metadata to the API server: the ObjectMeta schema (as a ConfigMap's), plus names.
  if (obj.metadata !== null && typeof obj.metadata === 'object')
    problems.push(...(await validateCore('v1 ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: obj.metadata })));
  problems.push(...nameProblems(obj.metadata, custom.namespaced));
  return problems;
}

const CLUSTER_SCOPED_CORE_KINDS = new Set(['v1 Namespace', 'rbac.authorization.k8s.io/v1 ClusterRole', 'rbac.authorization.k8s.io/v1 ClusterRoleBinding']);

/** What the API server checks of every object's name (DNS-1123 subdomain) and namespace (DNS-1123 label). */
function nameProblems(metadata: unknown, namespaced: boolean): string[] {
  if (metadata === null || typeof metadata !== 'object') return ['/metadata: required'];
  const m = metadata as Record<string, unknown>;
  const problems: string[] = [];
  const name = m['name'];
  if (typeof name !== 'string' || name === '') problems.push('/metadata/name: required');
  else if (name.length > 253 || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) problems.push(`/metadata/name: not a DNS-1123 subdomain: ${name}`);
  const ns = m['namespace'];
  if (namespaced && (typeof ns !== 'string' || ns.length > 63 || !DNS_1123_LABEL.test(ns))) problems.push('/metadata/namespace: required, a DNS-1123 label');
  if (!namespaced && ns !== undefined) problems.push('/metadata/namespace: a cluster-scoped object has none');
  return problems;
}

/** Every object in a multi-document YAML file as the generator writes them (empty documents skipped). */
export function parseKubernetesYaml(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`YAML: ${d.errors.map((e) => e.message).join('; ')}`);
      return d.toJS() as KubernetesObject | null;
    })
    .filter((o): o is KubernetesObject => o !== null);
}
