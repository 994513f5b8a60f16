import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './helpers.js';

/**
 * A small validator for the upstream collector `config.schema.yaml` files: resolves their `$ref`
 * format (`/config/configretry.back_off_config`, `./internal.option`, local `name`) and treats the
 * listed properties (plus those reached through allOf) as the complete set, so misspelt keys fail.
 */
/** The upstream schemas: `shared/otelcol-schemas` beside the repository (as in CI), or the env override. */
export const SCHEMAS_DIR = process.env['OTELCOL_SCHEMAS_DIR'] ?? path.resolve(REPO_ROOT, '../shared/otelcol-schemas');

type Schema = Record<string, unknown>;
interface Ctx {
  dir: string;
  file: Schema;
}

const cache = new Map<string, Schema | null>();
function loadFile(dir: string): Schema | null {
  if (!cache.has(dir)) {
    const f = path.join(SCHEMAS_DIR, dir, 'config.schema.yaml');
    cache.set(dir, existsSync(f) ? (parse(readFileSync(f, 'utf8')) as Schema) : null);
  }
  return cache.get(dir) ?? null;
}

function resolve(ref: string, ctx: Ctx): { schema: Schema | null; ctx: Ctx } {
  if (!ref.startsWith('/') && !ref.startsWith('./')) {
    const defs = (ctx.file['$defs'] ?? {}) as Record<string, Schema>;
    return { schema: defs[ref] ?? null, ctx };
  }
  const slash = ref.lastIndexOf('/');
  const dot = ref.indexOf('.', slash + 1);
  const filePart = dot === -1 ? ref : ref.slice(0, dot);
  const name = dot === -1 ? undefined : ref.slice(dot + 1);
  const dir = ref.startsWith('/') ? filePart.slice(1) : path.posix.join(ctx.dir, filePart.slice(2));
  const file = loadFile(dir);
  if (!file) return { schema: null, ctx };
  const next = { dir, file };
  if (name === undefined) return { schema: file, ctx: next };
  return { schema: ((file['$defs'] ?? {}) as Record<string, Schema>)[name] ?? null, ctx: next };
}

/** Follows $ref chains; returns null for references to files that are not shipped (accept anything). */
function deref(schema: Schema, ctx: Ctx): { schema: Schema | null; ctx: Ctx } {
  let s: Schema | null = schema;
  let c = ctx;
  for (let i = 0; s && typeof s['$ref'] === 'string' && i < 20; i++) {
    const r = resolve(s['$ref'] as string, c);
    s = r.schema;
    c = r.ctx;
  }
  return { schema: s, ctx: c };
}

/** Properties of an object schema including everything merged in through allOf. */
function properties(schema: Schema, ctx: Ctx): Map<string, { schema: Schema; ctx: Ctx }> {
  const out = new Map<string, { schema: Schema; ctx: Ctx }>();
  for (const [k, v] of Object.entries((schema['properties'] ?? {}) as Record<string, Schema>)) out.set(k, { schema: v, ctx });
  for (const part of (schema['allOf'] ?? []) as Schema[]) {
    const r = deref(part, ctx);
    if (r.schema) for (const [k, v] of properties(r.schema, r.ctx)) out.set(k, v);
  }
  return out;
}

const DURATION = /^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$/;
const ENV = /\$\{env:[A-Za-z_][A-Za-z0-9_]*\}/;

export function validateAgainst(value: unknown, schema: Schema, ctx: Ctx, at: string, errors: string[]): void {
  const isMapList = schema['$ref'] === '/config/configopaque.map_list';
  const r = deref(schema, ctx);
  if (!r.schema) return;
  const s = r.schema;
  if (value === null && (schema['x-optional'] === true || s['x-optional'] === true)) return;
  // configopaque.MapList also unmarshals from the plain map form the generator writes.
  if (isMapList && value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') errors.push(`${at}.${k}: header value must be a string`);
    return;
  }
  const type = s['type'];
  const hasProps = s['properties'] !== undefined || s['allOf'] !== undefined;
  if (type === 'object' || (type === undefined && hasProps)) {
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      errors.push(`${at}: expected an object`);
      return;
    }
    const props = properties(s, r.ctx);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = props.get(k);
      if (!p) errors.push(`${at}.${k}: unknown key (allowed: ${[...props.keys()].sort().join(', ')})`);
      else validateAgainst(v, p.schema, p.ctx, `${at}.${k}`, errors);
    }
    return;
  }
  if (type === 'array') {
    if (!Array.isArray(value)) return void errors.push(`${at}: expected an array`);
    value.forEach((v, i) => validateAgainst(v, (s['items'] ?? {}) as Schema, r.ctx, `${at}[${i}]`, errors));
    return;
  }
  if (type === 'string') {
    if (typeof value !== 'string') return void errors.push(`${at}: expected a string, got ${JSON.stringify(value)}`);
    if (s['x-customType'] === 'time.Duration' && !DURATION.test(value) && !ENV.test(value)) errors.push(`${at}: "${value}" is not a Go duration`);
    return;
  }
  if (type === 'integer') {
    if (!Number.isInteger(value)) return void errors.push(`${at}: expected an integer`);
    if (String(s['x-customType'] ?? '').startsWith('uint') && (value as number) < 0) errors.push(`${at}: must be non-negative`);
    return;
  }
  if (type === 'number' && typeof value !== 'number') errors.push(`${at}: expected a number`);
  if (type === 'boolean' && typeof value !== 'boolean') errors.push(`${at}: expected a boolean`);
}

/** Core component type -> upstream schema folder. */
export const CORE_SCHEMA_DIRS: Record<string, string> = {
  'receivers/otlp': 'receiver/otlpreceiver',
  'processors/batch': 'processor/batchprocessor',
  'processors/memory_limiter': 'processor/memorylimiterprocessor',
  'exporters/otlp': 'exporter/otlpexporter',
  'exporters/otlp_grpc': 'exporter/otlpexporter',
  'exporters/otlphttp': 'exporter/otlphttpexporter',
  'exporters/otlp_http': 'exporter/otlphttpexporter',
  'exporters/debug': 'exporter/debugexporter',
  'extensions/zpages': 'extension/zpagesextension',
};

export function validateCoreComponent(kind: string, type: string, config: unknown, at: string): string[] | undefined {
  const dir = CORE_SCHEMA_DIRS[`${kind}/${type}`];
  if (!dir) return undefined;
  const file = loadFile(dir);
  if (!file) throw new Error(`schema ${dir} missing under ${SCHEMAS_DIR}`);
  const errors: string[] = [];
  validateAgainst(config, file, { dir, file }, at, errors);
  return errors;
}
