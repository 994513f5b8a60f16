import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import type { DiagLevelName } from '../config/telemetry-config.js';

const LEVELS: Record<DiagLevelName, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

export const DIAG_WARNING_INTERVAL_MS = 60_000;

function describe(message: string, args: unknown[]): string {
  const extra = args
    .map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : safeJson(a)))
    .filter(Boolean)
    .join(' ');
  return extra ? `${message} ${extra}` : message;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return String(v);
  }
}

/**
 * OTel SDK-internal errors and warnings (exporter failures, dropped spans, ...) become at most
 * one warning per interval, with a count of what was suppressed: a collector outage produces
 * one line a minute, never a storm. info/debug/verbose are printed only when OTEL_LOG_LEVEL asks.
 */
export class RateLimitedDiagLogger implements DiagLogger {
  private lastWarningAt = -Infinity;
  private suppressed = 0;

  constructor(
    private readonly emit: (message: string) => void,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = DIAG_WARNING_INTERVAL_MS,
  ) {}

  error = (message: string, ...args: unknown[]): void => this.limited(message, args);
  warn = (message: string, ...args: unknown[]): void => this.limited(message, args);
  info = (message: string, ...args: unknown[]): void => this.verbatim(message, args);
  debug = (message: string, ...args: unknown[]): void => this.verbatim(message, args);
  verbose = (message: string, ...args: unknown[]): void => this.verbatim(message, args);

  private limited(message: string, args: unknown[]): void {
    const t = this.now();
    if (t - this.lastWarningAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    const suppressed = this.suppressed;
    this.lastWarningAt = t;
    this.suppressed = 0;
    const note = suppressed > 0 ? ` (${suppressed} similar SDK messages suppressed)` : '';
    try {
      this.emit(`OpenTelemetry SDK: ${describe(message, args)}${note}`);
    } catch {
      /* never let diagnostics throw into the SDK */
    }
  }

  private verbatim(message: string, args: unknown[]): void {
    try {
      this.emit(`OpenTelemetry SDK: ${describe(message, args)}`);
    } catch {
      /* ignore */
    }
  }
}

/** Installs the rate-limited logger as the OTel diag logger. */
export function installDiagLogger(level: DiagLevelName, warn: (message: string) => void): RateLimitedDiagLogger {
  const logger = new RateLimitedDiagLogger(warn);
  diag.setLogger(logger, { logLevel: LEVELS[level], suppressOverrideMessage: true });
  return logger;
}
