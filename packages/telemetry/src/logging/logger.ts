import pino, { type Logger } from 'pino';
import { resolveConfig } from '../config/resolve-config.js';
import { readAppPackage } from '../config/read-app-package.js';
import { createDeepRedactor, type Redactor } from './redact-deep.js';
import { serializeError } from './serialize-error.js';
import { mergeTraceContext, traceContextMixin } from './trace-context-mixin.js';

/** Receives every serialized log line (already redacted), e.g. to export it over OTLP. */
export type LogLineSink = (line: string) => void;

export interface LoggerSettings {
  level: string;
  serviceName: string;
  serviceVersion: string | undefined;
  environment: string;
  redactKeys: readonly string[];
}

interface LoggerState {
  logger: Logger;
  destination: pino.DestinationStream & { flushSync?: () => void };
  sink: LogLineSink | undefined;
  redact: Redactor;
}

const STATE_KEY = Symbol.for('@platform/telemetry.logger');
type GlobalWithLogger = typeof globalThis & { [STATE_KEY]?: LoggerState };

function baseFields(s: LoggerSettings): Record<string, unknown> {
  return {
    pid: process.pid,
    'service.name': s.serviceName,
    ...(s.serviceVersion ? { 'service.version': s.serviceVersion } : {}),
    'deployment.environment': s.environment,
  };
}

function settingsFromEnv(): LoggerSettings {
  const { config } = resolveConfig(process.env, {}, readAppPackage());
  return {
    level: config.logs.level,
    serviceName: config.serviceName,
    serviceVersion: config.serviceVersion,
    environment: config.environment,
    redactKeys: config.redactKeys,
  };
}

function createState(settings: LoggerSettings): LoggerState {
  const destination = pino.destination({ dest: 1, sync: false });
  const state = {
    destination,
    sink: undefined,
    redact: createDeepRedactor(settings.redactKeys),
  } as Omit<LoggerState, 'logger'> as LoggerState;
  state.logger = pino(
    {
      level: settings.level,
      base: baseFields(settings),
      mixin: traceContextMixin,
      mixinMergeStrategy: mergeTraceContext,
      serializers: { err: serializeError, error: serializeError },
      formatters: {
        log: (obj) => state.redact(obj),
        bindings: (bindings) => state.redact(bindings),
      },
      hooks: {
        streamWrite: (line) => {
          const sink = state.sink;
          if (sink !== undefined) sink(line);
          return line;
        },
      },
    },
    destination,
  );
  return state;
}

function state(): LoggerState {
  const g = globalThis as GlobalWithLogger;
  let s = g[STATE_KEY];
  if (!s) {
    s = createState(settingsFromEnv());
    g[STATE_KEY] = s;
  }
  return s;
}

/**
 * The SDK's pino logger: JSON lines on stdout with trace_id/span_id/trace_flags of the active
 * span, service fields, and secrets redacted at any depth. Works before initTelemetry() (with
 * settings from the environment); one instance per process, shared by every copy of the SDK.
 */
export function getLogger(): Logger {
  return state().logger;
}

/** Applies resolved settings (called by initTelemetry). Child loggers created earlier keep their bindings. */
export function configureLogger(settings: LoggerSettings): void {
  const s = state();
  s.redact = createDeepRedactor(settings.redactKeys);
  s.logger.level = settings.level;
  const logger = s.logger as Logger & Record<symbol, unknown>;
  logger[pino.symbols.chindingsSym] = '';
  logger.setBindings(baseFields(settings));
}

/** Installs (or removes with undefined) the in-process sink that receives every log line. */
export function setLogLineSink(sink: LogLineSink | undefined): void {
  state().sink = sink;
}

/** Writes buffered lines synchronously (before the process is killed by a re-raised signal). */
export function flushLoggerSync(): void {
  try {
    state().destination.flushSync?.();
  } catch {
    /* destination not ready or closed: nothing to flush */
  }
}
