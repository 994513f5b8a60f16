import { settleWithin } from './with-timeout.js';

export interface ShutdownHooksInput {
  /** Flush everything buffered (the app keeps running). */
  flush(): Promise<void>;
  /** Flush and stop (the process is about to end). */
  shutdown(): Promise<void>;
  timeoutMs: number;
  /** Called right before a signal is re-raised (e.g. to write buffered stdout synchronously). */
  beforeReraise?: () => void;
  /** Called when a flush/shutdown did not finish within `timeoutMs` (e.g. to give up in-flight exports). */
  onTimeout?: () => void;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * SIGTERM/SIGINT and beforeExit handling that keeps Node's behaviour:
 * - the app has its own listener for the signal: we only flush (bounded) and let it act;
 * - it has none: we shut down (bounded), remove our listener and re-raise the signal, so the
 *   process dies from it exactly as without us (exit status 128 + signal number);
 * - beforeExit: shut down once (bounded), then the process exits with its own exit code.
 * Returns an uninstall function.
 */
export function installShutdownHooks(input: ShutdownHooksInput): () => void {
  let terminating = false;
  const listeners = new Map<NodeJS.Signals, () => void>();

  const uninstall = (): void => {
    for (const [signal, listener] of listeners) process.removeListener(signal, listener);
    listeners.clear();
    process.removeListener('beforeExit', onBeforeExit);
  };

  const timedOut = (result: 'done' | 'timeout' | 'failed'): void => {
    if (result !== 'timeout') return;
    try {
      input.onTimeout?.();
    } catch {
      /* never throw from a signal path */
    }
  };

  const reraise = (signal: NodeJS.Signals): void => {
    uninstall();
    try {
      input.beforeReraise?.();
    } catch {
      /* never block the signal */
    }
    process.kill(process.pid, signal);
  };

  for (const signal of SIGNALS) {
    const listener = (): void => {
      const appListens = process.listenerCount(signal) > 1;
      if (appListens) {
        void settleWithin(input.flush(), input.timeoutMs).then(timedOut);
        return;
      }
      if (terminating) return reraise(signal);
      terminating = true;
      void settleWithin(input.shutdown(), input.timeoutMs, true).then(() => reraise(signal));
    };
    listeners.set(signal, listener);
    process.on(signal, listener);
  }

  function onBeforeExit(): void {
    process.removeListener('beforeExit', onBeforeExit);
    // Held open (bounded): the export sockets themselves do not keep the process alive.
    void settleWithin(input.shutdown(), input.timeoutMs, true).then(timedOut);
  }
  process.on('beforeExit', onBeforeExit);

  return uninstall;
}
