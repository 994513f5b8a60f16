import type { IncomingMessage } from 'node:http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { readAppPackage } from './config/read-app-package.js';
import { resolveConfig } from './config/resolve-config.js';
import type { TelemetryConfig } from './config/telemetry-config.js';
import type { TelemetryOptions } from './config/telemetry-options.js';
import { installDiagLogger } from './diagnostics/rate-limited-diag-logger.js';
import { installShutdownHooks } from './lifecycle/shutdown-hooks.js';
import { settleWithin } from './lifecycle/with-timeout.js';
import { installLogExport } from './logging/install-log-export.js';
import { configureLogger, flushLoggerSync, getLogger, setLogEventSink, settleLoggerOutput, STDOUT_FINAL_FLUSH_MS } from './logging/logger.js';
import { HttpClientMetrics } from './metrics/http-client-metrics.js';
import { HttpServerMetrics } from './metrics/http-server-metrics.js';
import { isMetricsRequest, startMetricsServer, type MetricsServer } from './metrics/metrics-server.js';
import { getRegistry } from './metrics/registry.js';
import { startRuntimeMetrics } from './metrics/runtime-metrics.js';
import { listenToUndici } from './metrics/undici-client-listener.js';
import { detectResource } from './resources/detect-resource.js';
import type { TelemetryHandle } from './telemetry-handle.js';
import { abandonPendingExports } from './tracing/abandonable-exporter.js';
import { httpInstrumentationConfig } from './tracing/http-instrumentation-config.js';
import { instrumentHttpServers } from './tracing/http-server-instrumentation.js';
import { selectInstrumentations } from './tracing/instrumentation-table.js';
import { installTracing } from './tracing/install-tracing.js';
import { loadInstrumentations } from './tracing/load-instrumentations.js';

const HANDLE_KEY = Symbol.for('@platform/telemetry.handle');
type GlobalWithHandle = typeof globalThis & { [HANDLE_KEY]?: TelemetryHandle & { warnedTwice?: boolean } };

/**
 * Starts traces, metrics and logs for this process. Safe to call twice (or from two copies of
 * the SDK): later calls return the first handle and log one warning. Never throws.
 */
export function initTelemetry(options: TelemetryOptions = {}): TelemetryHandle {
  const g = globalThis as GlobalWithHandle;
  const existing = g[HANDLE_KEY];
  if (existing) {
    if (!existing.warnedTwice) {
      existing.warnedTwice = true;
      existing.logger.warn('initTelemetry() was called more than once; the first configuration stays in effect');
    }
    return existing;
  }
  const { config, warnings } = resolveConfig(process.env, options, readAppPackage());
  const logger = getLogger();
  configureLogger({
    level: config.logs.level,
    serviceName: config.serviceName,
    serviceVersion: config.serviceVersion,
    environment: config.environment,
    redactKeys: config.redactKeys,
    redactQueryParams: config.redactQueryParams,
  });
  for (const w of warnings) logger.warn({ component: '@platform/telemetry' }, `telemetry config: ${w}`);

  let handle: TelemetryHandle;
  try {
    handle = config.disabled ? disabledHandle(config, warnings) : start(config, warnings);
  } catch (error) {
    logger.warn({ err: error }, 'telemetry could not start; the application runs uninstrumented');
    handle = disabledHandle(config, warnings);
  }
  g[HANDLE_KEY] = handle;
  return handle;
}

function disabledHandle(config: TelemetryConfig, warnings: string[]): TelemetryHandle {
  return {
    logger: getLogger(),
    registry: getRegistry(),
    config,
    warnings,
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}

function start(config: TelemetryConfig, warnings: string[]): TelemetryHandle {
  const logger = getLogger();
  const warnOnce = (msg: string): void => logger.warn({ component: '@platform/telemetry' }, msg);
  installDiagLogger(config.diagLogLevel, warnOnce);

  const registry = getRegistry();
  const stopRuntimeMetrics = startRuntimeMetrics(registry);
  const serverMetrics = new HttpServerMetrics(registry);
  const clientMetrics = new HttpClientMetrics(registry, config.metrics.maxLabelValues);
  const stopUndici = listenToUndici(clientMetrics);

  let tracerProvider: BasicTracerProvider | undefined;
  let logProcessor: LogRecordProcessor | undefined;
  let instrumentations: Instrumentation[] = [];
  let uninstrumentHttpServers: (() => void) | undefined;
  let metricsServer: MetricsServer | undefined;
  try {
    const resource = detectResource(config, warnOnce);
    tracerProvider = installTracing(config, resource);
    logProcessor = installLogExport(config, resource);
    const { enabled, disabled } = config.instrumentations;
    if (selectInstrumentations(enabled, disabled).some((e) => e.name === 'http')) {
      uninstrumentHttpServers = instrumentHttpServers({
        tracer: tracerProvider.getTracer('@platform/telemetry'),
        metrics: serverMetrics,
        ignore: (req: IncomingMessage) => isMetricsRequest(req, metricsServer?.port()),
        trustIncomingContext: config.trustIncomingContext,
      });
    }
    instrumentations = loadInstrumentations({
      enabled: config.instrumentations.enabled,
      disabled: config.instrumentations.disabled,
      appDir: process.cwd(),
      configs: {
        http: httpInstrumentationConfig({ client: clientMetrics, redactQueryParams: config.redactQueryParams }),
        pino: { disableLogSending: true },
      },
      onError: (name, error) => warnOnce(`instrumentation "${name}" not enabled: ${error instanceof Error ? error.message : String(error)}`),
    });
    registerInstrumentations({ instrumentations, tracerProvider });
  } catch (error) {
    warnOnce(`telemetry could not start tracing: ${error instanceof Error ? error.message : String(error)}`);
  }

  if (config.metrics.port !== false) {
    const asked = config.metrics.port;
    metricsServer = startMetricsServer(asked, config.metrics.host, {
      // An ephemeral port is only known from the log: announce it (a fixed one is in the config).
      onListening: (url, port) => {
        if (asked === 0) logger.info({ component: '@platform/telemetry', metrics_url: url, metrics_port: port }, `metrics server listening on ${url}`);
      },
      onError: (message, error) => logger.error({ component: '@platform/telemetry', code: (error as NodeJS.ErrnoException).code }, message),
    });
  }

  const flush = async (): Promise<void> => {
    await Promise.allSettled([tracerProvider?.forceFlush(), logProcessor?.forceFlush()]);
  };
  let shutdownPromise: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    shutdownPromise ??= (async () => {
      uninstallHooks?.();
      uninstrumentHttpServers?.();
      for (const i of instrumentations) {
        try {
          i.disable();
        } catch {
          /* keep going */
        }
      }
      stopUndici();
      stopRuntimeMetrics();
      // Spans first: span ends may still log; then the log pipeline. One budget for both: when
      // it runs out, in-flight exports are given up and later ones fail at once, so an
      // unresponsive collector cannot hold the process (its batch timers are ref'd).
      const deadline = Date.now() + config.shutdownTimeoutMs;
      const remaining = (): number => Math.max(0, deadline - Date.now());
      const giveUpOnTimeout = (r: 'done' | 'timeout' | 'failed'): void => {
        if (r === 'timeout') abandonPendingExports({ final: true });
      };
      giveUpOnTimeout(await settleWithin(tracerProvider?.shutdown() ?? Promise.resolve(), remaining()));
      setLogEventSink(undefined);
      await Promise.allSettled([settleWithin(logProcessor?.shutdown() ?? Promise.resolve(), remaining()).then(giveUpOnTimeout), metricsServer?.close()]);
      await settleLoggerOutput(remaining());
      flushLoggerSync(Math.max(remaining(), STDOUT_FINAL_FLUSH_MS));
    })().catch(() => undefined);
    return shutdownPromise;
  };

  const uninstallHooks = config.handleSignals
    ? installShutdownHooks({
        flush,
        shutdown,
        timeoutMs: config.shutdownTimeoutMs,
        beforeReraise: () => flushLoggerSync(STDOUT_FINAL_FLUSH_MS),
        // Only called while terminating (signal, beforeExit): an unresponsive collector already
        // had its full budget, so in-flight exports are given up and later ones fail at once.
        onTimeout: () => abandonPendingExports({ final: true }),
      })
    : undefined;

  return {
    logger,
    registry,
    config,
    warnings,
    forceFlush: () =>
      settleWithin(flush(), config.shutdownTimeoutMs, true).then((r) => {
        if (r === 'timeout') abandonPendingExports();
      }),
    shutdown: () =>
      settleWithin(shutdown(), config.shutdownTimeoutMs + 1000, true).then((r) => {
        if (r === 'timeout') abandonPendingExports({ final: true });
      }),
  };
}
