import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { renderAll } from '../src/generate.js';
import { k6RecordedSubMetrics, k6Thresholds, renderK6Script } from '../src/render/k6.js';
import { REPO_ROOT, exampleModel, variedModel } from './helpers.js';

/** Type-checks in-memory files with the TypeScript compiler (real node_modules for the types). */
function typecheck(files: Record<string, string>, options: ts.CompilerOptions): string[] {
  const host = ts.createCompilerHost(options, true);
  const original = { getSourceFile: host.getSourceFile, fileExists: host.fileExists, readFile: host.readFile };
  host.fileExists = (f) => f in files || original.fileExists.call(host, f);
  host.readFile = (f) => files[f] ?? original.readFile.call(host, f);
  host.getSourceFile = (f, lang, onError, create) =>
    f in files ? ts.createSourceFile(f, files[f] as string, lang, true) : original.getSourceFile.call(host, f, lang, onError, create);
  const program = ts.createProgram(Object.keys(files), options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1} ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

const virtualDir = path.join(REPO_ROOT, 'packages/generator/test/__virtual__');

describe('k6 scripts typecheck against @types/k6', () => {
  it('example and varied manifests', () => {
    const files: Record<string, string> = {};
    for (const model of [exampleModel(), variedModel()]) for (const s of model.services) files[path.join(virtualDir, `k6-${s.name}.js`)] = renderK6Script(s);
    const errors = typecheck(files, {
      allowJs: true,
      checkJs: true,
      noEmit: true,
      strict: true,
      target: ts.ScriptTarget.ES2020,
      lib: ['lib.es2020.d.ts'],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: ['k6'],
      typeRoots: [path.join(REPO_ROOT, 'node_modules/@types')],
    });
    expect(errors).toEqual([]);
  });

  it('uses only k6 modules, no remote imports, and thresholds from the SLOs', () => {
    const script = renderK6Script(exampleModel().services[0]!);
    const imports = [...script.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports.every((i) => i === 'k6' || i?.startsWith('k6/'))).toBe(true);
    expect(script).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    expect(script).toContain('"threshold": "rate<0.001"');
    expect(script).toContain('"threshold": "p(95)<250"');
    expect(script).toContain('"http_req_duration{name:GET /orders/:id}"');
    expect(script).toContain('"executor": "constant-arrival-rate"');
    expect(script).toContain('"abortOnFail": true');
    expect(script).toContain('export function handleSummary(data)');
    expect(script).toContain('const JUNIT_PATH = __ENV.K6_JUNIT_PATH || "k6-junit-orders-service.xml";');
    expect(script).toContain('const MARKDOWN_PATH = __ENV.K6_MARKDOWN_PATH || "k6-summary-orders-service.md";');
    expect(script).toContain('const SUMMARY_PATH = __ENV.K6_SUMMARY_PATH || "k6-summary-orders-service.json";');
    // No fixed wait before the load any more: the smoke runs in setup().
    expect(script).not.toContain('startTime');
  });

  it('records every endpoint as sub-metrics beside the SLO thresholds, which stay as they were', () => {
    const api = variedModel().services.find((s) => s.name === 'api')!;
    const slo = k6Thresholds(api);
    // Latency-only SLO: no error-rate threshold, so the error rate per endpoint is recorded.
    expect(Object.keys(slo).some((k) => k.startsWith('http_req_failed'))).toBe(false);
    const recorded = k6RecordedSubMetrics(api, slo);
    for (const ep of api.endpoints) {
      expect(slo[`http_req_duration{name:${ep.tag}}`]).toEqual(['p(99)<1000']);
      expect(recorded[`http_reqs{name:${ep.tag}}`]).toEqual(['count>=0']);
      expect(recorded[`http_req_failed{name:${ep.tag}}`]).toEqual(['rate>=0']);
      expect(recorded[`http_req_duration{name:${ep.tag}}`]).toBeUndefined();
    }
    const orders = exampleModel().services[0]!;
    expect(Object.keys(k6RecordedSubMetrics(orders, k6Thresholds(orders))).sort()).toEqual(orders.endpoints.map((e) => `http_reqs{name:${e.tag}}`).sort());
  });
});

describe('Grafana dashboards typecheck against @grafana/schema', () => {
  it('every generated dashboard is assignable to Dashboard', () => {
    const files: Record<string, string> = {};
    let n = 0;
    for (const model of [exampleModel(), variedModel()]) {
      for (const [rel, content] of renderAll(model)) {
        if (!rel.endsWith('.json')) continue;
        files[path.join(virtualDir, `dashboard-${n++}.ts`)] = [
          `import type { Dashboard } from '@grafana/schema';`,
          '// JSON carries enum values as plain strings; accept the string form of each enum member.',
          'type Json<T> = T extends string ? T | `${T}` : T extends number | boolean | null | undefined ? T : T extends ReadonlyArray<infer U> ? Array<Json<U>> : T extends object ? { [K in keyof T]: Json<T[K]> } : T;',
          `export const dashboard: Json<Dashboard> = ${content};`,
        ].join('\n');
      }
    }
    const errors = typecheck(files, {
      noEmit: true,
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: [],
      skipLibCheck: true,
    });
    expect(errors).toEqual([]);
  });
});

describe('the typecheck harness itself', () => {
  it('rejects a dashboard with a misspelt key or a wrong type', () => {
    const file = path.join(virtualDir, 'bad-dashboard.ts');
    const errors = typecheck(
      {
        [file]: `import type { Dashboard } from '@grafana/schema';\nexport const d: Dashboard = { title: 't', schemaVersion: '42', panels: [{ type: 'x', gridPoss: {} }] };`,
      },
      {
        noEmit: true,
        strict: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        types: [],
        skipLibCheck: true,
      },
    );
    expect(errors.join('\n')).toMatch(/schemaVersion|gridPoss/);
  });
});
