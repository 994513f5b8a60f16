import {
  CLOUD_RESOURCE_DETECTORS,
  DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT,
  DEFAULT_EXPORT_TIMEOUT_MS,
  DEFAULT_MAX_LABEL_VALUES,
  DEFAULT_METRICS_HOST,
  DEFAULT_METRICS_PORT,
  DEFAULT_REDACT_KEYS,
  DEFAULT_REDACT_QUERY_PARAMS,
  DEFAULT_RESOURCE_DETECTORS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  KNOWN_RESOURCE_DETECTORS,
} from './defaults.js';
import type {
  OtlpTlsFiles,
  DiagLevelName,
  OtlpProtocol,
  ResolvedConfig,
  PropagatorName,
  SamplerName,
  SignalExportConfig,
  TelemetryConfig,
} from './telemetry-config.js';
import type { SignalExportOptions, TelemetryOptions } from './telemetry-options.js';
import { INSTRUMENTATION_NAMES } from '../tracing/instrumentation-table.js';
import { readSetting, type Env, type Setting } from './read-setting.js';

export type { Env } from './read-setting.js';

/** Facts about the host application the caller looked up (package.json), used as last-resort defaults. */
export interface AppDefaults {
  name?: string;
  version?: string;
}

const SAMPLERS: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];
const DIAG_LEVELS: readonly DiagLevelName[] = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'];
const PINO_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Turns environment variables and programmatic options into a validated configuration.
 * Pure: no I/O, never throws. Options win over env; every invalid value yields exactly one
 * warning and a safe default.
 */
export function resolveConfig(env: Env, options: TelemetryOptions = {}, app: AppDefaults = {}): ResolvedConfig {
  const warnings: string[] = [];
  const warn = (msg: string): void => void warnings.push(msg);

  const resourceAttributes = parseKeyValueList(env.OTEL_RESOURCE_ATTRIBUTES, 'OTEL_RESOURCE_ATTRIBUTES', warn);
  Object.assign(resourceAttributes, options.resourceAttributes);

  const serviceName =
    nonEmpty(readSetting(env, { name: 'options.serviceName', value: options.serviceName }, 'OTEL_SERVICE_NAME')?.value) ??
    nonEmpty(resourceAttributes['service.name']) ??
    nonEmpty(app.name) ??
    'unknown_service:node';
  const serviceVersion = nonEmpty(options.serviceVersion) ?? nonEmpty(resourceAttributes['service.version']) ?? nonEmpty(app.version);
  const environment =
    nonEmpty(options.environment) ??
    nonEmpty(resourceAttributes['deployment.environment.name']) ??
    nonEmpty(resourceAttributes['deployment.environment']) ??
    nonEmpty(env.NODE_ENV) ??
    'development';

  const disabled = resolveDisabled(env, options, warn);

  const traces = resolveSignal('TRACES', 'traces', env, options.traces, warn);
  const logs = resolveSignal('LOGS', 'logs', env, options.logs, warn);

  const { sampler, samplerArg } = resolveSampler(env, options, warn);

  const config: TelemetryConfig = {
    disabled,
    serviceName,
    serviceVersion,
    environment,
    resourceAttributes,
    traces: { ...traces, sampler, samplerArg, attributeValueLengthLimit: resolveAttributeValueLengthLimit(env, options, warn) },
    logs: { ...logs, level: resolveLogLevel(env, options, warn) },
    metrics: resolveMetrics(env, options, warn),
    instrumentations: resolveInstrumentations(env, options, warn),
    resourceDetectors: resolveDetectors(env, options, warn),
    propagators: resolvePropagators(env, options, warn),
    redactKeys: (options.redactKeys ?? [...DEFAULT_REDACT_KEYS]).map((k) => k.toLowerCase()),
    redactQueryParams: (options.redactQueryParams ?? [...DEFAULT_REDACT_QUERY_PARAMS]).map((k) => k.toLowerCase()),
    shutdownTimeoutMs: resolveShutdownTimeout(options, warn),
    diagLogLevel: resolveDiagLevel(env, options, warn),
    handleSignals: options.handleSignals ?? true,
    trustIncomingContext: readBoolean(
      readSetting(env, { name: 'options.trustIncomingContext', value: options.trustIncomingContext }, 'PLATFORM_TRUST_INCOMING_CONTEXT'),
      true,
      warn,
    ),
  };
  // Shared variables (OTEL_EXPORTER_OTLP_*) are read per signal: report each problem once.
  return { config, warnings: [...new Set(warnings)] };
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

/**
 * Whether the SDK is switched off (`options.disabled`, else OTEL_SDK_DISABLED). Also read by
 * the `register` entry before init, to skip the ESM loader hook (its warning is dropped there:
 * init reports it).
 */
export function resolveDisabled(env: Env, options: TelemetryOptions, warn: (m: string) => void): boolean {
  return readBoolean(readSetting(env, { name: 'options.disabled', value: options.disabled }, 'OTEL_SDK_DISABLED'), false, warn);
}

/** A boolean setting: an option is taken as given, a variable must read true or false. */
function readBoolean(setting: Setting<boolean> | undefined, fallback: boolean, warn: (m: string) => void): boolean {
  if (setting === undefined) return fallback;
  if (setting.from === 'option') return setting.value;
  const v = setting.value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  warn(`${setting.source}="${setting.value}" is not true/false; using ${fallback}`);
  return fallback;
}

/**
 * Parses `k1=v1,k2=v2` (values percent-decoded, W3C baggage style), skipping malformed pairs.
 * The warning names the variable and the position of each malformed entry, never its text:
 * these lists carry credentials (`OTEL_EXPORTER_OTLP_HEADERS="Authorization:Bearer …"` is the
 * classic mistake). A header-name-like prefix before `:` is shown to help find the entry.
 */
function parseKeyValueList(raw: string | undefined, name: string, warn: (m: string) => void): Record<string, string> {
  const out: Record<string, string> = {};
  const text = nonEmpty(raw);
  if (!text) return out;
  const bad: string[] = [];
  text.split(',').forEach((part, index) => {
    if (!part.trim()) return;
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq).trim() : '';
    if (!key) {
      const colonKey = /^\s*([A-Za-z0-9-]{1,64})\s*:/.exec(part)?.[1];
      bad.push(colonKey ? `#${index + 1} (key "${colonKey}", written with ":")` : `#${index + 1}`);
      return;
    }
    const value = part.slice(eq + 1).trim();
    try {
      out[key] = decodeURIComponent(value);
    } catch {
      out[key] = value;
    }
  });
  if (bad.length) warn(`${name}: ignored malformed entries (expected key=value; values not shown): ${bad.join(', ')}`);
  return out;
}

function parseEndpoint(raw: string | undefined, name: string, warn: (m: string) => void): URL | undefined {
  const v = nonEmpty(raw);
  if (!v) return undefined;
  try {
    const url = new URL(v);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return url;
  } catch {
    // Not echoed: a mistyped endpoint can carry credentials (`user:pass@host`, `?api_key=`).
    warn(`${name} is not an http(s) URL (value not shown); the signal will not be exported`);
    return undefined;
  }
}

function resolveSignal(
  upper: 'TRACES' | 'LOGS',
  path: 'traces' | 'logs',
  env: Env,
  opts: SignalExportOptions | undefined,
  warn: (m: string) => void,
): SignalExportConfig {
  const specificEndpoint = `OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`;
  const endpointSetting = readSetting(env, { name: `options.${path}.endpoint`, value: opts?.endpoint }, specificEndpoint, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  let endpoint: string | undefined;
  if (endpointSetting !== undefined) {
    const url = parseEndpoint(endpointSetting.value, endpointSetting.source, warn);
    // The general variable is a base URL: the signal's path is appended (per-signal ones are used as given).
    if (url) endpoint = endpointSetting.source === 'OTEL_EXPORTER_OTLP_ENDPOINT' ? `${url.href.replace(/\/+$/, '')}/v1/${path}` : url.href;
  }
  const exporterEnv = nonEmpty(readSetting<string>(env, undefined, `OTEL_${upper}_EXPORTER`)?.value)?.toLowerCase();
  if (exporterEnv === 'none' && endpointSetting?.from !== 'option') endpoint = undefined;
  else if (exporterEnv !== undefined && exporterEnv !== 'otlp' && exporterEnv !== 'none') {
    warn(`OTEL_${upper}_EXPORTER="${exporterEnv}" is not supported (otlp, none); using otlp`);
  }

  const headers = {
    ...parseKeyValueList(env.OTEL_EXPORTER_OTLP_HEADERS, 'OTEL_EXPORTER_OTLP_HEADERS', warn),
    ...parseKeyValueList(env[`OTEL_EXPORTER_OTLP_${upper}_HEADERS`], `OTEL_EXPORTER_OTLP_${upper}_HEADERS`, warn),
    ...opts?.headers,
  };

  const protocolSetting = readSetting<string>(
    env,
    { name: `options.${path}.protocol`, value: opts?.protocol },
    `OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`,
    'OTEL_EXPORTER_OTLP_PROTOCOL',
  );
  let protocol: OtlpProtocol = 'http/protobuf';
  const p = nonEmpty(protocolSetting?.value);
  if (p === 'http/protobuf' || p === 'http/json') protocol = p;
  else if (p !== undefined) warn(`${protocolSetting!.source}="${p}" is not supported (http/protobuf, http/json); using http/protobuf`);

  const timeoutMs = readPositiveInt(
    readSetting(env, undefined, `OTEL_EXPORTER_OTLP_${upper}_TIMEOUT`, 'OTEL_EXPORTER_OTLP_TIMEOUT'),
    DEFAULT_EXPORT_TIMEOUT_MS,
    warn,
  );

  const file = (suffix: string): string | undefined =>
    nonEmpty(readSetting<string>(env, undefined, `OTEL_EXPORTER_OTLP_${upper}_${suffix}`, `OTEL_EXPORTER_OTLP_${suffix}`)?.value);
  const tls: OtlpTlsFiles = {};
  const caFile = file('CERTIFICATE');
  const certFile = file('CLIENT_CERTIFICATE');
  const keyFile = file('CLIENT_KEY');
  if (caFile) tls.caFile = caFile;
  if (certFile && keyFile) Object.assign(tls, { certFile, keyFile });
  else if (certFile || keyFile) warn(`OTEL_EXPORTER_OTLP_[${upper}_]CLIENT_CERTIFICATE and _CLIENT_KEY go together; sending no client certificate`);

  return { endpoint, headers, protocol, timeoutMs, tls };
}

/** A positive integer setting (option or variable); anything else warns, naming its source, and falls back. */
function readPositiveInt(setting: Setting<number> | undefined, fallback: number, warn: (m: string) => void): number {
  if (setting === undefined) return fallback;
  const raw = String(setting.value);
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n <= 0) {
    warn(`${setting.source}="${raw}" is not a positive integer; using ${fallback}`);
    return fallback;
  }
  return n;
}

function resolveSampler(env: Env, options: TelemetryOptions, warn: (m: string) => void): { sampler: SamplerName; samplerArg: number } {
  const samplerSetting = readSetting(env, { name: 'options.traces.sampler', value: options.traces?.sampler }, 'OTEL_TRACES_SAMPLER');
  const raw = nonEmpty(samplerSetting?.value)?.toLowerCase();
  let sampler: SamplerName = 'parentbased_always_on';
  if (raw !== undefined) {
    if ((SAMPLERS as readonly string[]).includes(raw)) sampler = raw as SamplerName;
    else warn(`${samplerSetting!.source}="${raw}" is not supported (${SAMPLERS.join(', ')}); using parentbased_always_on`);
  }
  let samplerArg = 1;
  const usesArg = sampler === 'traceidratio' || sampler === 'parentbased_traceidratio';
  const argSetting = readSetting(env, { name: 'options.traces.samplerArg', value: options.traces?.samplerArg }, 'OTEL_TRACES_SAMPLER_ARG');
  if (usesArg && argSetting !== undefined) {
    const argRaw = String(argSetting.value);
    const n = Number(argRaw);
    if (!Number.isFinite(n) || n < 0 || n > 1) {
      warn(`${argSetting.source}="${argRaw}" is not a ratio between 0 and 1; using 1`);
    } else samplerArg = n;
  }
  return { sampler, samplerArg };
}

const PROPAGATORS: readonly PropagatorName[] = ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger'];
const DEFAULT_PROPAGATORS: readonly PropagatorName[] = ['tracecontext', 'baggage'];

/**
 * OTEL_PROPAGATORS as the OpenTelemetry spec reads it: a comma-separated list, duplicates
 * registered once, `none` alone meaning no propagation; a name not supported here is reported and
 * skipped, and a list left with no supported name falls back to the default.
 */
function resolvePropagators(env: Env, options: TelemetryOptions, warn: (m: string) => void): PropagatorName[] {
  const setting = readSetting(env, { name: 'options.propagators', value: options.propagators }, 'OTEL_PROPAGATORS');
  const names = readNameList(setting);
  if (names === undefined) return [...DEFAULT_PROPAGATORS];
  if (names.includes('none')) {
    if (names.length > 1) warn(`${setting!.source}: "none" given with other propagators; propagating nothing`);
    return [];
  }
  const isPropagator = (n: string): n is PropagatorName => (PROPAGATORS as readonly string[]).includes(n);
  const unknown = names.filter((n) => !isPropagator(n));
  if (unknown.length > 0)
    warn(`${setting!.source}: propagator(s) not supported, ignored: ${[...new Set(unknown)].join(', ')} (supported: ${PROPAGATORS.join(', ')}, none)`);
  const known = [...new Set(names.filter(isPropagator))];
  if (known.length === 0) {
    warn(`${setting!.source}: no supported propagator given; using ${DEFAULT_PROPAGATORS.join(',')}`);
    return [...DEFAULT_PROPAGATORS];
  }
  return known;
}

function resolveAttributeValueLengthLimit(env: Env, options: TelemetryOptions, warn: (m: string) => void): number {
  const setting = readSetting(
    env,
    { name: 'options.traces.attributeValueLengthLimit', value: options.traces?.attributeValueLengthLimit },
    'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT',
    'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT',
  );
  return readPositiveInt(setting, DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT, warn);
}

function resolveLogLevel(env: Env, options: TelemetryOptions, warn: (m: string) => void): string {
  const setting = readSetting(env, { name: 'options.logs.level', value: options.logs?.level }, 'LOG_LEVEL');
  const raw = nonEmpty(setting?.value)?.toLowerCase();
  if (raw === undefined) return 'info';
  if (PINO_LEVELS.includes(raw)) return raw;
  warn(`${setting!.source}="${raw}" is not a pino level (${PINO_LEVELS.join(', ')}); using info`);
  return 'info';
}

function resolveMetrics(env: Env, options: TelemetryOptions, warn: (m: string) => void): TelemetryConfig['metrics'] {
  let port: number | false = DEFAULT_METRICS_PORT;
  const portSetting = readSetting(env, { name: 'options.metrics.port', value: options.metrics?.port }, 'PLATFORM_METRICS_PORT');
  if (portSetting?.from === 'option') {
    const optPort = portSetting.value;
    if (optPort === false) port = false;
    else if (Number.isInteger(optPort) && optPort >= 0 && optPort < 65536)
      port = optPort; // 0: ephemeral
    else warn(`${portSetting.source}=${String(optPort)} is not a valid port; using ${DEFAULT_METRICS_PORT}`);
  } else if (portSetting?.from === 'env') {
    const raw = portSetting.value.trim().toLowerCase();
    if (raw === 'off' || raw === 'false' || raw === 'none') port = false;
    else {
      const n = Number(raw);
      if (Number.isInteger(n) && n >= 0 && n < 65536)
        port = n; // 0: ephemeral, announced in the log
      else warn(`${portSetting.source}="${raw}" is not a port (1-65535, 0 for an ephemeral one, off to disable); using ${DEFAULT_METRICS_PORT}`);
    }
  }
  const host =
    nonEmpty(readSetting(env, { name: 'options.metrics.host', value: options.metrics?.host }, 'PLATFORM_METRICS_HOST')?.value) ?? DEFAULT_METRICS_HOST;
  const maxLabelValues = readPositiveInt(
    readSetting(env, { name: 'options.metrics.maxLabelValues', value: options.metrics?.maxLabelValues }, 'PLATFORM_METRICS_MAX_LABEL_VALUES'),
    DEFAULT_MAX_LABEL_VALUES,
    warn,
  );
  return { port, host, maxLabelValues };
}

/** A name-list setting: an option array, or a comma-separated variable. */
function readNameList(setting: Setting<string[]> | undefined): string[] | undefined {
  if (setting === undefined) return undefined;
  return parseNameList(setting.from === 'option' ? setting.value.join(',') : setting.value);
}

function parseNameList(raw: string | undefined): string[] | undefined {
  const v = nonEmpty(raw);
  if (v === undefined) return undefined;
  return v
    .split(',')
    .map((s) =>
      s
        .trim()
        .toLowerCase()
        .replace(/^@opentelemetry\/instrumentation-/, ''),
    )
    .filter(Boolean);
}

function resolveInstrumentations(env: Env, options: TelemetryOptions, warn: (m: string) => void): TelemetryConfig['instrumentations'] {
  const enabledSetting = readSetting(
    env,
    { name: 'options.instrumentations.enabled', value: options.instrumentations?.enabled },
    'OTEL_NODE_ENABLED_INSTRUMENTATIONS',
  );
  const disabledSetting = readSetting(
    env,
    { name: 'options.instrumentations.disabled', value: options.instrumentations?.disabled },
    'OTEL_NODE_DISABLED_INSTRUMENTATIONS',
  );
  const enabled = readNameList(enabledSetting);
  const disabled = readNameList(disabledSetting) ?? [];
  const unknownIn = (list: string[] | undefined, setting: Setting<string[]> | undefined): void => {
    const unknown = (list ?? []).filter((n) => !INSTRUMENTATION_NAMES.includes(n));
    if (unknown.length) warn(`${setting!.source}: unknown instrumentation name(s) ignored: ${[...new Set(unknown)].join(', ')}`);
  };
  unknownIn(enabled, enabledSetting);
  unknownIn(disabled, disabledSetting);
  return {
    enabled: enabled?.filter((n) => INSTRUMENTATION_NAMES.includes(n)),
    disabled: disabled.filter((n) => INSTRUMENTATION_NAMES.includes(n)),
  };
}

function resolveDetectors(env: Env, options: TelemetryOptions, warn: (m: string) => void): string[] {
  const setting = readSetting(env, { name: 'options.resourceDetectors', value: options.resourceDetectors }, 'OTEL_NODE_RESOURCE_DETECTORS');
  const list = setting?.from === 'option' ? setting.value : readNameList(setting);
  if (list === undefined) return [...DEFAULT_RESOURCE_DETECTORS];
  const out = new Set<string>();
  const unknown: string[] = [];
  for (const raw of list) {
    const d = raw.toLowerCase();
    if (d === 'none') return [];
    if (d === 'all') [...DEFAULT_RESOURCE_DETECTORS, ...CLOUD_RESOURCE_DETECTORS].forEach((x) => out.add(x));
    else if (KNOWN_RESOURCE_DETECTORS.includes(d)) out.add(d);
    else unknown.push(d);
  }
  if (unknown.length) warn(`${setting!.source}: unknown detector(s) ignored: ${unknown.join(', ')}`);
  return [...out];
}

function resolveShutdownTimeout(options: TelemetryOptions, warn: (m: string) => void): number {
  const v = options.shutdownTimeoutMs;
  if (v === undefined) return DEFAULT_SHUTDOWN_TIMEOUT_MS;
  if (Number.isFinite(v) && v > 0) return v;
  warn(`options.shutdownTimeoutMs=${String(v)} is not a positive number; using ${DEFAULT_SHUTDOWN_TIMEOUT_MS}`);
  return DEFAULT_SHUTDOWN_TIMEOUT_MS;
}

function resolveDiagLevel(env: Env, options: TelemetryOptions, warn: (m: string) => void): DiagLevelName {
  const setting = readSetting(env, { name: 'options.diagLogLevel', value: options.diagLogLevel }, 'OTEL_LOG_LEVEL');
  const raw = nonEmpty(setting?.value)?.toLowerCase();
  if (raw === undefined) return 'warn';
  if ((DIAG_LEVELS as readonly string[]).includes(raw)) return raw as DiagLevelName;
  warn(`${setting!.source}="${raw}" is not one of ${DIAG_LEVELS.join(', ')}; using warn`);
  return 'warn';
}
