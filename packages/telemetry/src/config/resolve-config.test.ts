import { describe, expect, it } from 'vitest';
import { resolveConfig, resolveDisabled } from './resolve-config.js';

describe('resolveConfig', () => {
  it('has safe defaults: no network export, metrics on 9464, parent-based always-on sampling', () => {
    const { config, warnings } = resolveConfig({});
    expect(warnings).toEqual([]);
    expect(config.disabled).toBe(false);
    expect(config.serviceName).toBe('unknown_service:node');
    expect(config.traces.endpoint).toBeUndefined();
    expect(config.logs.endpoint).toBeUndefined();
    expect(config.metrics).toEqual({ port: 9464, host: '0.0.0.0', maxLabelValues: 100 });
    expect(config.traces.sampler).toBe('parentbased_always_on');
    expect(config.resourceDetectors).toEqual(['env', 'host', 'os', 'process', 'serviceinstance', 'container']);
    expect(config.shutdownTimeoutMs).toBe(5000);
    expect(config.redactKeys).toContain('authorization');
  });

  it('derives per-signal endpoints from OTEL_EXPORTER_OTLP_ENDPOINT; per-signal variables win', () => {
    const { config } = resolveConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://logs:4318/custom/logs',
      OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=x%20y',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'b=2',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    });
    expect(config.traces.endpoint).toBe('http://collector:4318/v1/traces');
    expect(config.logs.endpoint).toBe('http://logs:4318/custom/logs');
    expect(config.traces.headers).toEqual({ a: '1', b: '2' });
    expect(config.logs.headers).toEqual({ a: '1', b: 'x y' });
    expect(config.traces.protocol).toBe('http/json');
    expect(config.logs.protocol).toBe('http/protobuf');
  });

  it('lets options override env', () => {
    const { config } = resolveConfig(
      { OTEL_SERVICE_NAME: 'from-env', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318', PLATFORM_METRICS_PORT: '9999', OTEL_TRACES_SAMPLER: 'always_off' },
      { serviceName: 'from-options', traces: { endpoint: 'http://opt:4318/v1/traces', sampler: 'traceidratio', samplerArg: 0.25 }, metrics: { port: false } },
    );
    expect(config.serviceName).toBe('from-options');
    expect(config.traces.endpoint).toBe('http://opt:4318/v1/traces');
    expect(config.logs.endpoint).toBe('http://env:4318/v1/logs');
    expect(config.traces.sampler).toBe('traceidratio');
    expect(config.traces.samplerArg).toBe(0.25);
    expect(config.metrics.port).toBe(false);
  });

  it('reads service fields from OTEL_RESOURCE_ATTRIBUTES and app defaults', () => {
    const { config } = resolveConfig(
      { OTEL_RESOURCE_ATTRIBUTES: 'service.version=2.0.0,deployment.environment.name=prod,team=payments' },
      {},
      { name: 'pkg-name', version: '1.0.0' },
    );
    expect(config.serviceName).toBe('pkg-name');
    expect(config.serviceVersion).toBe('2.0.0');
    expect(config.environment).toBe('prod');
    expect(config.resourceAttributes.team).toBe('payments');
  });

  it.each([
    [
      { OTEL_TRACES_SAMPLER: 'sometimes' },
      /OTEL_TRACES_SAMPLER/,
      (c: ReturnType<typeof resolveConfig>['config']) => expect(c.traces.sampler).toBe('parentbased_always_on'),
    ],
    [
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' },
      /OTEL_TRACES_SAMPLER_ARG/,
      (c: ReturnType<typeof resolveConfig>['config']) => expect(c.traces.samplerArg).toBe(1),
    ],
    [{ OTEL_SDK_DISABLED: 'yes' }, /OTEL_SDK_DISABLED/, (c: ReturnType<typeof resolveConfig>['config']) => expect(c.disabled).toBe(false)],
    [{ PLATFORM_METRICS_PORT: '70000' }, /PLATFORM_METRICS_PORT/, (c: ReturnType<typeof resolveConfig>['config']) => expect(c.metrics.port).toBe(9464)],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' },
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
      (c: ReturnType<typeof resolveConfig>['config']) => expect(c.traces.endpoint).toBeUndefined(),
    ],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /grpc/, (c: ReturnType<typeof resolveConfig>['config']) => expect(c.traces.protocol).toBe('http/protobuf')],
    [{ OTEL_LOG_LEVEL: 'loud' }, /OTEL_LOG_LEVEL/, (c: ReturnType<typeof resolveConfig>['config']) => expect(c.diagLogLevel).toBe('warn')],
    [{ OTEL_NODE_RESOURCE_DETECTORS: 'host,moon' }, /moon/, (c: ReturnType<typeof resolveConfig>['config']) => expect(c.resourceDetectors).toEqual(['host'])],
    [
      { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,nope' },
      /nope/,
      (c: ReturnType<typeof resolveConfig>['config']) => expect(c.instrumentations.enabled).toEqual(['http']),
    ],
  ])('invalid %o -> exactly one warning and a safe default, no throw', (env, pattern, check) => {
    const { config, warnings } = resolveConfig(env);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(pattern);
    check(config);
  });

  it('parses samplers and the SDK switch', () => {
    expect(resolveConfig({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }).config.traces).toMatchObject({
      sampler: 'parentbased_traceidratio',
      samplerArg: 0.1,
    });
    expect(resolveConfig({ OTEL_TRACES_SAMPLER: 'ALWAYS_OFF' }).config.traces.sampler).toBe('always_off');
    expect(resolveConfig({ OTEL_SDK_DISABLED: 'TRUE' }).config.disabled).toBe(true);
    expect(resolveConfig({ OTEL_SDK_DISABLED: 'true' }, { disabled: false }).config.disabled).toBe(false);
  });

  it('disables the metrics server with off, takes 0 as an ephemeral port, and disables export with OTEL_TRACES_EXPORTER=none', () => {
    expect(resolveConfig({ PLATFORM_METRICS_PORT: 'off' }).config.metrics.port).toBe(false);
    expect(resolveConfig({ PLATFORM_METRICS_PORT: 'OFF' }).config.metrics.port).toBe(false);
    expect(resolveConfig({}, { metrics: { port: false } }).config.metrics.port).toBe(false);
    expect(resolveConfig({ PLATFORM_METRICS_PORT: '0' }).config.metrics.port).toBe(0);
    expect(resolveConfig({}, { metrics: { port: 0 } }).config.metrics.port).toBe(0);
    const { config } = resolveConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' });
    expect(config.traces.endpoint).toBeUndefined();
    expect(config.logs.endpoint).toBe('http://c:4318/v1/logs');
  });

  it('accepts upstream instrumentation names and cloud detectors only on request', () => {
    const { config } = resolveConfig({
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http, @opentelemetry/instrumentation-express,fs',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'fs',
      OTEL_NODE_RESOURCE_DETECTORS: 'env,host,aws',
    });
    expect(config.instrumentations).toEqual({ enabled: ['http', 'express', 'fs'], disabled: ['fs'] });
    expect(config.resourceDetectors).toEqual(['env', 'host', 'aws']);
    expect(resolveConfig({ OTEL_NODE_RESOURCE_DETECTORS: 'none' }).config.resourceDetectors).toEqual([]);
  });

  it('reads the OTLP TLS files per signal (specific over general); a client certificate needs its key', () => {
    const { config } = resolveConfig({
      OTEL_EXPORTER_OTLP_CERTIFICATE: '/pki/ca.crt',
      OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE: '/pki/logs-ca.crt',
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: '/pki/app.crt',
      OTEL_EXPORTER_OTLP_CLIENT_KEY: '/pki/app.key',
    });
    expect(config.traces.tls).toEqual({ caFile: '/pki/ca.crt', certFile: '/pki/app.crt', keyFile: '/pki/app.key' });
    expect(config.logs.tls).toEqual({ caFile: '/pki/logs-ca.crt', certFile: '/pki/app.crt', keyFile: '/pki/app.key' });
    const half = resolveConfig({ OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: '/pki/app.crt' });
    expect(half.config.traces.tls).toEqual({});
    expect(half.warnings.join('\n')).toMatch(/CLIENT_CERTIFICATE and _CLIENT_KEY go together/);
    expect(resolveConfig({}).config.traces.tls).toEqual({});
  });

  it('warns about malformed header lists without echoing their text (names the variable and the entry position)', () => {
    const secret = 'Bearer S3CRET-abc';
    const { config, warnings } = resolveConfig({
      OTEL_EXPORTER_OTLP_HEADERS: `Authorization:${secret}`,
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: `x-tenant=t1,${secret}`,
      OTEL_EXPORTER_OTLP_LOGS_HEADERS: `=${secret}`,
    });
    expect(config.traces.headers).toEqual({ 'x-tenant': 't1' });
    expect(warnings).toEqual([
      'OTEL_EXPORTER_OTLP_HEADERS: ignored malformed entries (expected key=value; values not shown): #1 (key "Authorization", written with ":")',
      'OTEL_EXPORTER_OTLP_TRACES_HEADERS: ignored malformed entries (expected key=value; values not shown): #2',
      'OTEL_EXPORTER_OTLP_LOGS_HEADERS: ignored malformed entries (expected key=value; values not shown): #1',
    ]);
    for (const w of warnings) expect(w).not.toContain('S3CRET');
  });
  it('does not echo an endpoint that is not a URL (it may carry credentials)', () => {
    const { config, warnings } = resolveConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'ada:S3CRET@collector:4318' });
    expect(config.traces.endpoint).toBeUndefined();
    expect(warnings).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT is not an http(s) URL (value not shown); the signal will not be exported']);
  });
  it('reads the bounds and the trust setting from env and options, warning once on bad values', () => {
    const fromEnv = resolveConfig({
      PLATFORM_METRICS_MAX_LABEL_VALUES: '25',
      OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '512',
      PLATFORM_TRUST_INCOMING_CONTEXT: 'false',
    });
    expect(fromEnv.warnings).toEqual([]);
    expect(fromEnv.config.metrics.maxLabelValues).toBe(25);
    expect(fromEnv.config.traces.attributeValueLengthLimit).toBe(512);
    expect(fromEnv.config.trustIncomingContext).toBe(false);
    expect(resolveConfig({}).config.trustIncomingContext).toBe(true);
    expect(resolveConfig({}).config.traces.attributeValueLengthLimit).toBe(4096);
    const fromOptions = resolveConfig(
      { PLATFORM_TRUST_INCOMING_CONTEXT: 'false' },
      { trustIncomingContext: true, metrics: { maxLabelValues: 7 }, traces: { attributeValueLengthLimit: 64 } },
    );
    expect(fromOptions.config.trustIncomingContext).toBe(true);
    expect(fromOptions.config.metrics.maxLabelValues).toBe(7);
    expect(fromOptions.config.traces.attributeValueLengthLimit).toBe(64);
    const bad = resolveConfig({
      PLATFORM_METRICS_MAX_LABEL_VALUES: 'lots',
      PLATFORM_TRUST_INCOMING_CONTEXT: 'no',
      OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '-1',
    });
    expect(bad.config.metrics.maxLabelValues).toBe(100);
    expect(bad.config.trustIncomingContext).toBe(true);
    expect(bad.config.traces.attributeValueLengthLimit).toBe(4096);
    expect(bad.warnings).toHaveLength(3);
  });
  it('names the source a bad value came from: the option when an option was given, else the variable', () => {
    const env = {
      LOG_LEVEL: 'debug',
      OTEL_LOG_LEVEL: 'info',
      OTEL_TRACES_SAMPLER_ARG: '0.5',
      OTEL_NODE_RESOURCE_DETECTORS: 'env',
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http',
    };
    const fromOptions = resolveConfig(env, {
      logs: { level: 'loud' },
      diagLogLevel: 'chatty',
      traces: { sampler: 'traceidratio', samplerArg: 7 },
      resourceDetectors: ['env', 'moon'],
      instrumentations: { enabled: ['http', 'telepathy'] },
    });
    expect(fromOptions.config.logs.level).toBe('info');
    expect(fromOptions.config.diagLogLevel).toBe('warn');
    expect(fromOptions.config.traces.samplerArg).toBe(1);
    expect(fromOptions.config.resourceDetectors).toEqual(['env']);
    expect(fromOptions.warnings).toEqual([
      'options.traces.samplerArg="7" is not a ratio between 0 and 1; using 1',
      'options.logs.level="loud" is not a pino level (fatal, error, warn, info, debug, trace, silent); using info',
      'options.instrumentations.enabled: unknown instrumentation name(s) ignored: telepathy',
      'options.resourceDetectors: unknown detector(s) ignored: moon',
      'options.diagLogLevel="chatty" is not one of none, error, warn, info, debug, verbose, all; using warn',
    ]);
    const fromEnv = resolveConfig({ LOG_LEVEL: 'loud', OTEL_LOG_LEVEL: 'chatty', OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '7' });
    expect(fromEnv.warnings).toEqual([
      'OTEL_TRACES_SAMPLER_ARG="7" is not a ratio between 0 and 1; using 1',
      'LOG_LEVEL="loud" is not a pino level (fatal, error, warn, info, debug, trace, silent); using info',
      'OTEL_LOG_LEVEL="chatty" is not one of none, error, warn, info, debug, verbose, all; using warn',
    ]);
  });

  it('reads OTEL_PROPAGATORS as the spec does: ordered, deduplicated, none alone, unknown names reported and skipped', () => {
    expect(resolveConfig({}).config.propagators).toEqual(['tracecontext', 'baggage']);
    expect(resolveConfig({ OTEL_PROPAGATORS: ' B3Multi, tracecontext,b3multi ' }).config.propagators).toEqual(['b3multi', 'tracecontext']);
    expect(resolveConfig({ OTEL_PROPAGATORS: 'jaeger,b3' }, { propagators: ['baggage'] }).config.propagators).toEqual(['baggage']);
    expect(resolveConfig({ OTEL_PROPAGATORS: 'none' })).toEqual(expect.objectContaining({ warnings: [] }));
    expect(resolveConfig({ OTEL_PROPAGATORS: 'none' }).config.propagators).toEqual([]);
    const mixed = resolveConfig({ OTEL_PROPAGATORS: 'b3,none' });
    expect(mixed.config.propagators).toEqual([]);
    expect(mixed.warnings).toEqual(['OTEL_PROPAGATORS: "none" given with other propagators; propagating nothing']);
    const unknown = resolveConfig({ OTEL_PROPAGATORS: 'xray,b3,ottrace,xray' });
    expect(unknown.config.propagators).toEqual(['b3']);
    expect(unknown.warnings).toEqual([
      'OTEL_PROPAGATORS: propagator(s) not supported, ignored: xray, ottrace (supported: tracecontext, baggage, b3, b3multi, jaeger, none)',
    ]);
    const nothing = resolveConfig({}, { propagators: ['xray'] });
    expect(nothing.config.propagators).toEqual(['tracecontext', 'baggage']);
    expect(nothing.warnings).toContain('options.propagators: no supported propagator given; using tracecontext,baggage');
  });

  it('reads the SDK switch the same way for initTelemetry and the register entry', () => {
    const warnings: string[] = [];
    expect(resolveDisabled({ OTEL_SDK_DISABLED: ' TRUE ' }, {}, (m) => warnings.push(m))).toBe(true);
    expect(resolveDisabled({ OTEL_SDK_DISABLED: 'true' }, { disabled: false }, (m) => warnings.push(m))).toBe(false);
    expect(resolveDisabled({ OTEL_SDK_DISABLED: 'yes' }, {}, (m) => warnings.push(m))).toBe(false);
    expect(warnings).toEqual(['OTEL_SDK_DISABLED="yes" is not true/false; using false']);
  });
});
