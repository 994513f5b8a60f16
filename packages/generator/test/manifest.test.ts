import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManifestError } from '../src/errors.js';
import { didYouMean, levenshtein } from '../src/manifest/did-you-mean.js';
import { nearestBoundaries, parseLatencyObjective } from '../src/manifest/latency-objective.js';
import { loadManifest } from '../src/manifest/validate.js';
import { MINIMAL, refusalIssues as issuesOf } from './helpers.js';

const svc = (extra: string) => `services:\n  - name: api\n    port: 8080\n${extra}`;
const SLO = '    slos:\n      availability: { objective: 99.9 }\n';

describe('manifest validation', () => {
  it('collector.gateway: endpoint and endpoints together are refused at endpoints, with a hint; endpoints must be host:port and distinct', () => {
    const [both] = issuesOf(`collector:\n  gateway:\n    endpoint: "gw:4317"\n    endpoints: ["gw-a:4317", "gw-b:4317"]\n${svc(SLO)}`);
    expect(both).toMatchObject({ line: 4, path: 'collector.gateway.endpoints', message: 'endpoint and endpoints cannot both be set' });
    expect(both?.hint).toMatch(/list every gateway under endpoints/);
    const shapes = issuesOf(`collector:\n  gateway:\n    endpoints: ["https://gw-a:4317", "gw-b:4317", "gw-b:4317"]\n${svc(SLO)}`);
    expect(shapes.map((i) => i.path)).toEqual(expect.arrayContaining(['collector.gateway.endpoints[0]', 'collector.gateway.endpoints']));
    expect(issuesOf(`collector:\n  gateway:\n    endpoints: []\n${svc(SLO)}`)[0]?.path).toBe('collector.gateway.endpoints');
  });

  it('a minimal manifest (name + port + one SLO) is valid and gets documented defaults', () => {
    const m = loadManifest(MINIMAL, 'm.yaml');
    const s = m.services[0]!;
    expect(s).toMatchObject({ name: 'tiny', port: 3000, metricsPath: '/metrics', metricsPort: 9464, host: '127.0.0.1' });
    expect(s.slos.availability).toMatchObject({ target: 0.995, errorBudget: 0.005, window: '30d', windowDays: 30 });
    expect(s.endpoints.map((e) => e.tag)).toEqual(['GET /']);
    expect(m.collector).toMatchObject({
      version: '0.144.0',
      otlpGrpcExporter: 'otlp_grpc',
      agent: { grpcEndpoint: '127.0.0.1:4317', httpEndpoint: '127.0.0.1:4318' },
    });
    expect(m.backends.metrics.type).toBe('prometheus-remote-write');
  });

  it('unknown key: file:line:col, field path and a did-you-mean hint', () => {
    const [i] = issuesOf(svc(`    slos:\n      availability: { objective: 99.9 }\n    endpionts: []\n`));
    expect(i).toMatchObject({
      file: 'm.yaml',
      line: 6,
      col: 5,
      path: 'services[0].endpionts',
      message: 'unknown key "endpionts"',
      hint: 'did you mean "endpoints"?',
    });
  });

  it('wrong enum value suggests the closest allowed value', () => {
    const [i] = issuesOf(`backends:\n  metrics: { type: prometheus-remote-wirte }\n${svc(SLO)}`);
    expect(i).toMatchObject({ line: 2, path: 'backends.metrics.type', hint: 'did you mean "prometheus-remote-write"?' });
  });

  it('missing required field points at the parent', () => {
    const [i] = issuesOf(`services:\n  - name: api\n    slos: { availability: { objective: 99 } }\n`);
    expect(i).toMatchObject({ line: 2, col: 5, path: 'services[0]', message: 'missing required field "port"' });
  });

  it('latency threshold must be a bucket boundary; the hint names the nearest ones', () => {
    const [i] = issuesOf(svc(`    slos:\n      latency: { objective: "p95 < 300ms" }\n`));
    expect(i).toMatchObject({ line: 5, path: 'services[0].slos.latency.objective', message: 'latency threshold 300ms is not a histogram bucket boundary' });
    expect(i?.hint).toContain('nearest boundaries: 250ms or 500ms');
    expect(nearestBoundaries(20)).toEqual([10]);
  });

  it('reads both latency objective forms', () => {
    expect(parseLatencyObjective('p95 < 250ms')).toEqual({ percentile: 95, thresholdSeconds: 0.25 });
    expect(parseLatencyObjective('99.9% < 1s')).toEqual({ percentile: 99.9, thresholdSeconds: 1 });
    expect(parseLatencyObjective('p95 > 1s')).toBeUndefined();
  });

  it.each([
    ['quotes', `'api"x'`],
    ['braces', '"api{x}"'],
    ['path traversal', '"../etc"'],
    ['newline', '"api\\nx"'],
    ['upper case', 'Api'],
  ])('service names with %s are refused by the schema pattern', (_, name) => {
    const [i] = issuesOf(`services:\n  - name: ${name}\n    port: 1\n${SLO}`);
    expect(i).toMatchObject({ line: 2, path: 'services[0].name' });
    expect(i?.hint).toMatch(/lower-case/);
  });

  it('literal credentials in headers are refused with a ${env:VAR} hint', () => {
    const issues = issuesOf(
      `backends:\n  logs:\n    headers:\n      Authorization: "Bearer abc123"\n      X-Other: "AKIAABCDEFGHIJKLMNOPQRSTUV0123"\n${svc(SLO)}`,
    );
    expect(issues.map((i) => [i.line, i.path, i.message])).toEqual([
      [4, 'backends.logs.headers.Authorization', 'literal credential in header'],
      [5, 'backends.logs.headers.X-Other', 'header value looks like a credential (known token prefix)'],
    ]);
    expect(issues[0]?.hint).toContain('${env:AUTHORIZATION}');
    expect(() =>
      loadManifest(`backends:\n  logs:\n    headers: { Authorization: "Bearer \${env:T}", X-Scope-OrgID: team-a }\n${svc(SLO)}`, 'm.yaml'),
    ).not.toThrow();
  });

  it('credentials in URLs and plain http without explicit insecure are refused', () => {
    const issues = issuesOf(`backends:\n  metrics: { endpoint: "https://u:p@prom/api/v1/write" }\n  traces: { endpoint: "http://tempo:4318" }\n${svc(SLO)}`);
    expect(issues.map((i) => i.message)).toEqual(['credentials in URL', 'plain http:// endpoint while TLS is on']);
    // The hint names only what validates: a global tls.insecure is refused (per hop only).
    expect(issues[1]?.hint).toMatch(/on this backend/);
    expect(issues[1]?.hint).not.toMatch(/\(or globally\)/);
  });

  it('duplicate keys, forbidden keys and alias bombs are refused with positions', () => {
    expect(issuesOf(`environment: a\nenvironment: b\n${svc(SLO)}`)[0]).toMatchObject({ line: 2, message: 'duplicate key' });
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const [i] = issuesOf(svc(`${SLO}    ${key}: { polluted: true }\n`));
      expect(i).toMatchObject({ line: 6, col: 5, message: `key "${key}" is not allowed` });
    }
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 8 },
        (_, k) =>
          `${String.fromCharCode(98 + k)}: &${String.fromCharCode(98 + k)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + k)}`)
            .join(',')}]`,
      ),
    ].join('\n');
    const started = Date.now();
    const [i] = issuesOf(`${bomb}\n${svc(SLO)}`);
    expect(i?.hint ?? i?.message).toMatch(/alias/i);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses manifests over 5 MB quickly', () => {
    const big = `# ${'x'.repeat(5 * 1024 * 1024)}\n${MINIMAL}`;
    const started = Date.now();
    expect(issuesOf(big)[0]?.message).toMatch(/larger than 5 MB/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('duplicate service names, self dependencies and unknown route params are semantic errors', () => {
    const issues = issuesOf(
      `services:\n  - { name: a, port: 1, slos: { availability: { objective: 99 } }, dependencies: [a], endpoints: [{ method: GET, route: "/x/:id", params: { idd: "1" } }] }\n  - { name: a, port: 2, slos: { availability: { objective: 99 } } }\n`,
    );
    expect(issues.map((i) => i.message)).toEqual(['a service cannot depend on itself', 'route /x/:id has no :idd parameter', 'duplicate service name "a"']);
    expect(issues[1]?.hint).toBe('did you mean "id"?');
  });

  it('reports several problems at once, sorted by position', () => {
    const issues = issuesOf(`enviroment: x\nservices:\n  - name: api\n    port: 99999\n    slos: {}\n`);
    expect(issues.map((i) => i.line)).toEqual([...issues.map((i) => i.line)].sort((a, b) => a - b));
    expect(issues.length).toBeGreaterThanOrEqual(3);
  });

  it('never throws anything but ManifestError on arbitrary input (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          loadManifest(text, 'f.yaml');
        } catch (e) {
          expect(e).toBeInstanceOf(ManifestError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('did-you-mean', () => {
  it('levenshtein and nearest candidate', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(didYouMean('prot', ['port', 'name'])).toBe('port');
    expect(didYouMean('zzzzzz', ['port', 'name'])).toBeUndefined();
  });
});
