import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSecretName } from '../src/manifest/secret-words.js';
import { tokenShape } from '../src/manifest/token-shape.js';
import { MINIMAL, VARIED, cli, tempDir } from './helpers.js';

/** Manifest text with `extra` top-level YAML before the minimal services block. */
const manifest = (extra: string): string => `${extra}\n${MINIMAL}`;
const traces = (endpoint: string, headers = ''): string =>
  `backends:\n  traces: { type: tempo, endpoint: ${JSON.stringify(endpoint)}${headers ? `, headers: { ${headers} }` : ''} }`;
const header = (name: string, value: string): string => traces('https://tempo:4317', `${JSON.stringify(name)}: ${JSON.stringify(value)}`);

describe('literal secrets in the manifest are refused with file:line:col, the field and a hint, never echoed', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('platform-secrets-')));
  afterEach(() => cleanup());

  /** Generates from `text`; expects exit 2, nothing written, the line matching `where`, and `secret` nowhere in the output. */
  const refused = (text: string, where: RegExp, secret: string): string => {
    writeFileSync(path.join(dir, 'm.yaml'), text);
    const r = cli(['generate', '--manifest', 'm.yaml', '--out', 'out'], dir);
    expect(r.code, `${text}\n${r.stdout}${r.stderr}`).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^m\\.yaml:\\d+:\\d+: error: ${where.source}`, 'm'));
    expect(`${r.stdout}${r.stderr}`).not.toContain(secret);
    return r.stderr;
  };
  const accepted = (text: string): void => {
    writeFileSync(path.join(dir, 'm.yaml'), text);
    const r = cli(['validate', '--manifest', 'm.yaml'], dir);
    expect(r.code, `${text}\n${r.stderr}`).toBe(0);
  };

  it('userinfo in collector.gateway.endpoint and in backend endpoints, with or without a scheme', () => {
    refused(
      manifest('collector: { gateway: { endpoint: "https://otel:hunter2pw@otel-gateway:4317" } }'),
      /collector\.gateway\.endpoint: credentials in URL\n\s+hint: remove user:password@/,
      'hunter2pw',
    );
    refused(
      manifest('collector: { gateway: { endpoint: "otel:hunter2pw@otel-gateway:4317" } }'),
      /collector\.gateway\.endpoint: credentials in URL/,
      'hunter2pw',
    );
    refused(manifest(traces('admin:hunter2pw@tempo:4317')), /backends\.traces\.endpoint: credentials in URL/, 'hunter2pw');
    refused(
      manifest('backends:\n  otlp:\n    - { name: v, endpoint: "https://ghp_AbCdEf0123456789@otlp.vendor.example" }'),
      /backends\.otlp\[0\]\.endpoint: credentials in URL/,
      'ghp_AbCdEf',
    );
  });

  it('secret-looking query parameters (normalised names) in every URL-like field; ${env:VAR} values and ordinary parameters pass', () => {
    const cases: Array<[string, string]> = [
      ['api_key', 'abc123def'],
      ['apiKey', 'abc123def'],
      ['token', 'abc123def'],
      ['access_token', 'abc123def'],
      ['sig', 'abc123def'],
      ['X-Amz-Signature', 'abc123def'],
      ['client-secret', 'abc123def'],
      ['PASSWORD', 'abc123def'],
    ];
    for (const [name, value] of cases) {
      refused(
        manifest(traces(`https://tempo:4317/v1?tenant=a&${name}=${value}`)),
        new RegExp(`backends\\.traces\\.endpoint: secret-looking query parameter "${name}"`),
        value,
      );
    }
    refused(
      manifest(`backends:\n  metrics: { type: prometheus-remote-write, endpoint: "https://p:9090/api/v1/write", queryUrl: "https://p:9090?auth=abc123def" }`),
      /backends\.metrics\.queryUrl: secret-looking query parameter "auth"/,
      'abc123def',
    );
    refused(
      MINIMAL.replace('port: 3000', 'port: 3000\n    load: { baseUrl: "https://api.example?jwt=abc123def" }'),
      /services\[0\]\.load\.baseUrl: secret-looking query parameter "jwt"/,
      'abc123def',
    );
    refused(
      manifest(traces('https://tempo:4317/v1?x=glpat-AbC123xyz')),
      /backends\.traces\.endpoint: query parameter value looks like a credential/,
      'glpat-AbC',
    );
    accepted(manifest(traces('https://tempo:4317/v1?api_key=${env:TEMPO_KEY}&tenant=team-a&monkey=1&keyword=x')));
  });

  it('token-shaped header values under any header name (known prefixes, JWTs, high entropy); ordinary values pass', () => {
    const tokens = [
      'hcxik_01hqk4abcd',
      'ghp_AbCd1234',
      'xoxb-1234-abcd',
      'sk_live_51Habc',
      'glpat-Xy12Ab',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
      'q7Fz2Kp9Lm4Wx8Rt1Vb6Nc3Hd5', // 26 random characters
    ];
    for (const token of tokens) {
      refused(
        manifest(header('X-Honeycomb-Team', token)),
        /backends\.traces\.headers\.X-Honeycomb-Team: header value looks like a credential \((known token prefix|high-entropy text)\)\n\s+hint: reference an environment variable instead, e\.g\. X-Honeycomb-Team: "\$\{env:X_HONEYCOMB_TEAM\}"/,
        token,
      );
    }
    accepted(manifest(header('X-Scope-OrgID', 'tenant-production-europe-west-1')));
    accepted(manifest(header('X-Honeycomb-Dataset', 'orders-service-traces')));
    accepted(manifest(header('X-Honeycomb-Team', '${env:HONEYCOMB_KEY}')));
  });

  it("secret header names (any spelling) need ${env:VAR}; the hint keeps the header's scheme", () => {
    const basic = refused(
      manifest(header('Authorization', 'Basic dXNlcjpwYXNz')),
      /backends\.traces\.headers\.Authorization: literal credential in header/,
      'dXNlcjpwYXNz',
    );
    expect(basic).toContain('hint: reference an environment variable instead, e.g. Authorization: "Basic ${env:AUTHORIZATION}"');
    const bearer = refused(manifest(header('Authorization', 'abc')), /backends\.traces\.headers\.Authorization: literal credential in header/, '"abc"');
    expect(bearer).toContain('e.g. Authorization: "Bearer ${env:AUTHORIZATION}"');
    for (const name of ['x-auth-token', 'Ocp-Apim-Subscription-Key', 'DD-API-KEY', 'X-Session-Id', 'clientSecret']) {
      refused(manifest(header(name, 'plain')), new RegExp(`backends\\.traces\\.headers\\.${name}: literal credential in header`), '"plain"');
    }
    accepted(manifest(header('Authorization', 'Basic ${env:TEMPO_BASIC}')));
  });

  it('config providers other than ${env:VAR} anywhere a manifest string reaches a generated file', () => {
    const providers: Array<[string, RegExp]> = [
      ['${file:/run/secrets/key}', /config provider "\$\{file:…\}" is not allowed/],
      ['${http://169.254.169.254/x}', /config provider "\$\{http:…\}" is not allowed/],
      ['${https://evil.example/x}', /config provider "\$\{https:…\}" is not allowed/],
      ['${yaml:exporters::otlp}', /config provider "\$\{yaml:…\}" is not allowed/],
      ['${TOKEN}', /bare \$\{TOKEN\} reference\n\s+hint: write \$\{env:TOKEN\}/],
      ['${env:TOKEN:-s3cr3tdefault}', /a "\$\{" that is not a plain \$\{env:VAR\} reference/],
    ];
    for (const [value, message] of providers) {
      refused(manifest(header('X-Tenant', `tenant ${value}`)), new RegExp(`backends\\.traces\\.headers\\.X-Tenant: ${message.source}`), 's3cr3tdefault');
    }
  });

  it('a value that fails a schema pattern in a secret-bearing field is not echoed either', () => {
    const stderr = refused(
      manifest(header('X-Api-Key', "sk_live_51Hab'cdef")),
      /backends\.traces\.headers\.X-Api-Key: invalid value <value hidden: \d+ characters>/,
      'sk_live',
    );
    expect(stderr).not.toContain('cdef');
    refused(manifest(traces('https://user:pa ss@tempo:4317')), /backends\.traces\.endpoint: invalid value <value hidden: \d+ characters>/, 'pa ss');
  });

  it('the examples stay valid', () => {
    accepted(VARIED);
  });
});

describe('secret-word and token-shape matchers', () => {
  it('match secret words by shape, not exact spelling, and leave ordinary names alone', () => {
    for (const n of [
      'accessToken',
      'clientSecret',
      'refreshToken',
      'x-auth-token',
      'privateKey',
      'jwt',
      'sessionId',
      'API_KEY',
      'apikey',
      'X-Amz-Signature',
      'sig',
      'passwd',
      'Cookie',
    ])
      expect(isSecretName(n), n).toBe(true);
    for (const n of ['tenant', 'X-Scope-OrgID', 'monkey', 'keyword', 'passenger', 'compass', 'Content-Type', 'X-Honeycomb-Dataset'])
      expect(isSecretName(n), n).toBe(false);
  });
  it('recognise known prefixes and high-entropy text; ordinary identifiers are not tokens', () => {
    expect(tokenShape('AKIAIOSFODNN7EXAMPLE')).toBe('known token prefix');
    expect(tokenShape('9f86d081884c7d659a2feaa0c55ad015')).toBe('high-entropy text');
    expect(tokenShape('3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3b')).toBe('high-entropy text');
    for (const w of ['orders-service-production', 'application/json', 'tenant-production-europe-west-1', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaa1'])
      expect(tokenShape(w), w).toBeUndefined();
  });
});
