import { writeSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import { resolveConfig } from '../config/resolve-config.js';
import { readAppPackage } from '../config/read-app-package.js';
import { createDeepRedactor, type Redactor } from './redact-deep.js';
import { serializeError } from './serialize-error.js';
import { mergeTraceContext, traceContextMixin } from './trace-context-mixin.js';

/**
 * One written log line, as pino's stream metadata describes it: `fields` are the call's own
 * fields after redaction (serializers not yet applied), `logger` is the (child) logger that
 * wrote it, `line` the serialized, redacted JSON line.
 */
export interface LogEvent {
  readonly level: number;
  readonly time: number;
  readonly msg: string | undefined;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly logger: Logger;
  readonly line: string;
}

/** Receives every written log line, e.g. to export it over OTLP. */
export type LogEventSink = (event: LogEvent) => void;

export interface LoggerSettings {
  level: string;
  serviceName: string;
  serviceVersion: string | undefined;
  environment: string;
  redactKeys: readonly string[];
  /** Query parameters redacted in URL-looking strings (beyond the secret-name shape rules). */
  redactQueryParams?: readonly string[];
}

interface LoggerState {
  logger: Logger;
  destination: pino.DestinationStream & { flushSync?: () => void };
  /** Writes one printed line to `destination` (as bytes for the stdout destination, see stdoutDestination). */
  writeLine: (line: string) => void;
  sink: LogEventSink | undefined;
  redact: Redactor;
  /** The redacted fields of the line being written (set by the log formatter, read by the stream). */
  lastFields: Record<string, unknown>;
  /** Until when (ms since the epoch) a write stdout refuses (EAGAIN) is retried: see flushLoggerSync. */
  retryWritesUntil: { at: number };
  /** A synchronous flush gave stdout up: later ones (the re-raise after the shutdown) do not wait again. */
  stdoutGivenUp: boolean;
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
    redactQueryParams: config.redactQueryParams,
  };
}

/** pino's stream metadata protocol: pino sets these on the stream right before each write. */
interface PinoStreamMetadata {
  lastLevel: number;
  lastMsg: string | undefined;
  lastTime: string;
  lastLogger: Logger;
}

/**
 * The stream pino writes to: stdout (non-blocking), plus the sink when one is installed. It asks
 * pino for the line's metadata (level, message, time, logger), so a sink never re-parses the
 * JSON it was just given.
 */
function createStream(state: LoggerState): pino.DestinationStream {
  const { destination, writeLine } = state;
  const stream = {
    [Symbol.for('pino.metadata')]: true,
    write(this: PinoStreamMetadata, line: string): void {
      const sink = state.sink;
      if (sink !== undefined) {
        const time = Number(this.lastTime);
        try {
          sink({
            level: this.lastLevel,
            time: Number.isFinite(time) ? time : Date.now(),
            msg: this.lastMsg,
            fields: state.lastFields,
            logger: this.lastLogger,
            line,
          });
        } catch {
          /* exporting a line must never stop it from being printed */
        }
      }
      writeLine(line);
    },
    flush(cb?: (err?: Error) => void): void {
      const d = destination as { flush?: (cb?: (err?: Error) => void) => void };
      if (typeof d.flush === 'function') d.flush(cb);
      else cb?.();
    },
  };
  return stream as unknown as pino.DestinationStream;
}

/**
 * Bytes of log lines queued for a stdout that does not keep up (a full pipe nobody reads, a
 * stalled log shipper) before further lines are dropped from stdout: the host's memory stays
 * bounded. At 16 MiB that is tens of thousands of lines, seconds of any normal burst.
 */
export const STDOUT_MAX_QUEUED_BYTES = 16 * 1024 * 1024;

/**
 * stdout, non-blocking, in SonicBoom's buffer mode: a line is written as its bytes. In its
 * default string mode SonicBoom measures the UTF-8 length of the whole pending chunk (up to
 * 16 KiB of lines waiting behind the write in flight) on every write, so under load each line
 * cost more the more lines were queued: `v8::String::Utf8Length` was the largest single item of
 * the exported log line's instruction count (bench/profile/count-instructions.js).
 */
function stdoutDestination(retryWritesUntil: LoggerState['retryWritesUntil']): {
  destination: LoggerState['destination'];
  writeLine: LoggerState['writeLine'];
} {
  const destination = pino.destination({
    dest: 1,
    sync: false,
    contentMode: 'buffer',
    maxLength: STDOUT_MAX_QUEUED_BYTES,
    // SonicBoom retries a write stdout refuses (a full pipe) for ever, sleeping 100 ms between
    // tries, also inside flushSync(): at shutdown that held the process on a stdout nobody reads.
    retryEAGAIN: () => Date.now() < retryWritesUntil.at,
  });
  let told = false;
  (destination as unknown as NodeJS.EventEmitter).on('drop', () => {
    // stdout itself is what is stuck: say it once on stderr, not in the queue that is full.
    if (!told) {
      told = true;
      process.stderr.write(
        `@platform/telemetry: stdout is not keeping up (or the event loop is blocked); log lines beyond ${STDOUT_MAX_QUEUED_BYTES} bytes waiting for it are dropped from stdout (their OTLP export goes on)\n`,
      );
    }
  });
  return { destination, writeLine: (line) => destination.write(Buffer.from(line) as unknown as string) };
}

function createState(settings: LoggerSettings, given?: LoggerState['destination']): LoggerState {
  const retryWritesUntil = { at: Infinity };
  const { destination, writeLine } = given ? { destination: given, writeLine: (line: string) => void given.write(line) } : stdoutDestination(retryWritesUntil);
  const state = {
    retryWritesUntil,
    stdoutGivenUp: false,
    destination,
    writeLine,
    sink: undefined,
    redact: redactorFor(settings),
    lastFields: {},
  } as Omit<LoggerState, 'logger'> as LoggerState;
  state.logger = pino(
    {
      level: settings.level,
      base: baseFields(settings),
      mixin: traceContextMixin,
      mixinMergeStrategy: mergeTraceContext,
      serializers: { err: serializeError, error: serializeError },
      hooks: {
        // The message and its printf-style arguments (`logger.info('GET %s', url)`, `%o`) are
        // printed too: strings lose secret query parameters, objects go through the redactor.
        logMethod(args: unknown[], method: (...a: unknown[]) => void): void {
          for (let i = 0; i < args.length; i++) {
            const arg = args[i];
            if (typeof arg === 'string') args[i] = state.redact.text(arg);
            else if (i > 0 && typeof arg === 'object' && arg !== null) args[i] = state.redact(arg);
          }
          method.apply(this, args);
        },
      },
      formatters: {
        log: (obj) => (state.lastFields = state.redact(obj)),
        bindings: (bindings) => state.redact(bindings),
      },
    },
    createStream(state),
  );
  redactChildBindings(state);
  return state;
}

/**
 * A logger built exactly as the SDK's (redaction, bindings, hooks, sink) but writing to
 * `destination` and not shared through the global: for tests that read what would be printed.
 */
export function createSdkLogger(
  settings: LoggerSettings,
  destination: pino.DestinationStream,
): { logger: Logger; setSink(sink: LogEventSink | undefined): void; rootSerializers(): unknown } {
  const s = createState(settings, destination);
  return {
    logger: s.logger,
    setSink: (sink) => void (s.sink = sink),
    rootSerializers: () => (s.logger as Logger & Record<symbol, unknown>)[pino.symbols.serializersSym],
  };
}

function redactorFor(settings: LoggerSettings): Redactor {
  return createDeepRedactor(settings.redactKeys, settings.redactQueryParams ? { queryParams: settings.redactQueryParams } : {});
}

/**
 * pino gives a child logger a pass-through bindings formatter, so the root's `bindings`
 * formatter never sees `logger.child({ req: { headers: { authorization } } })`. The root's
 * `child` and `setBindings` (inherited by every child and grandchild) redact the bindings first.
 */
function redactChildBindings(state: LoggerState): void {
  interface BindingMethods {
    child: (this: Logger, bindings: unknown, ...rest: unknown[]) => Logger;
    setBindings: (this: Logger, bindings: unknown) => void;
  }
  const logger = state.logger as unknown as BindingMethods;
  const { child, setBindings } = logger;
  logger.child = function redactedChild(this: Logger, bindings: unknown, ...rest: unknown[]): Logger {
    return child.call(this, state.redact(bindings), ...rest);
  };
  logger.setBindings = function redactedSetBindings(this: Logger, bindings: unknown): void {
    setBindings.call(this, state.redact(bindings));
  };
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
  s.redact = redactorFor(settings);
  s.logger.level = settings.level;
  const logger = s.logger as Logger & Record<symbol, unknown>;
  logger[pino.symbols.chindingsSym] = '';
  logger.setBindings(baseFields(settings));
}

/** Installs (or removes with undefined) the in-process sink that receives every log line. */
export function setLogEventSink(sink: LogEventSink | undefined): void {
  state().sink = sink;
}

/** The root logger's serializers: a child logger with other serializers prints fields differently. */
export function rootSerializers(): unknown {
  return (state().logger as Logger & Record<symbol, unknown>)[pino.symbols.serializersSym];
}

/**
 * Waits (at most `timeoutMs`) until the stdout writer has no write in flight. SonicBoom writes
 * asynchronously on libuv's thread pool, and its flushSync() writes only what is still queued,
 * not the chunk in flight: a process killed right after (a re-raised SIGTERM) could lose that
 * chunk's lines, or print later lines before it. Called on shutdown before flushLoggerSync().
 */
export async function settleLoggerOutput(timeoutMs: number): Promise<void> {
  const destination = state().destination as { _writing?: boolean };
  const deadline = Date.now() + timeoutMs;
  while (destination._writing === true && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** How long a synchronous flush at shutdown keeps offering stdout its queued lines, at least. */
export const STDOUT_FINAL_FLUSH_MS = 1000;

/**
 * Writes queued lines synchronously (before the process is killed by a re-raised signal), for at
 * most `timeoutMs` while stdout refuses them (a full pipe nobody reads): then the rest is given up,
 * said once on stderr, and the process can end. Once given up, a later flush writes what stdout
 * takes at once and waits no more.
 */
export function flushLoggerSync(timeoutMs: number): void {
  const s = state();
  s.retryWritesUntil.at = s.stdoutGivenUp ? 0 : Date.now() + timeoutMs;
  try {
    s.destination.flushSync?.();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'EAGAIN' || code === 'EBUSY') && !s.stdoutGivenUp) {
      s.stdoutGivenUp = true;
      try {
        writeSync(
          2,
          `@platform/telemetry: stdout took no log lines for ${timeoutMs} ms at shutdown; the lines still queued for it are not written (their OTLP export is not affected)\n`,
        );
      } catch {
        /* stderr is stuck too */
      }
    }
    /* otherwise: destination not ready or closed, nothing to flush */
  } finally {
    s.retryWritesUntil.at = Infinity;
  }
}
