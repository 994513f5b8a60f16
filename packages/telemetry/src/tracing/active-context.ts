import { context, type Context, type ContextManager } from '@opentelemetry/api';

/** `active()` and `with()`: what the context API and a ContextManager both offer. */
export type ContextRunner = Pick<ContextManager, 'active' | 'with'>;

let runner: ContextRunner = context;

/**
 * The context manager this SDK registered, for the per-request and per-line hot paths (the
 * HTTP server instrumentation, the log mixin and forwarder): through the `context` API every
 * call first looks the manager up in the global registry and checks its version, and `with`
 * spreads its arguments once more. The API itself when this SDK did not register the manager
 * (another copy or the app did), so both always agree on the active context.
 */
export function contextRunner(): ContextRunner {
  return runner;
}

/** The active context, from the registered context manager (see contextRunner). */
export function activeContext(): Context {
  return runner.active();
}

/** Called by installTracing with the manager it registered (undefined: it registered none). */
export function useRegisteredContextManager(manager: ContextManager | undefined): void {
  runner = manager ?? context;
}
