import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { markExportAgent } from './export-agents.js';

/** What OTLP span and log exporters have in common. */
interface Exporter<T> {
  export(items: T[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

const live = new Set<AbandonableExporter<unknown>>();

/**
 * Wraps an exporter so that exports still in flight when the SDK's flush/shutdown budget runs
 * out can be given up: their callbacks complete (FAILED) at once, which clears the batch
 * processors' export timers, and a later shutdown no longer waits for them. Together with
 * {@link nonBlockingAgentFactory} this means a black-holed collector cannot keep the process
 * alive past the shutdown timeout.
 */
export class AbandonableExporter<T> implements Exporter<T> {
  private readonly pending = new Set<(result: ExportResult) => void>();
  private refusing = false;
  /** Resolves once in-flight work was given up: flush/shutdown stop waiting for the inner exporter. */
  private readonly givenUp: Promise<void>;
  private giveUp!: () => void;

  constructor(private readonly inner: Exporter<T>) {
    this.givenUp = new Promise<void>((resolve) => (this.giveUp = resolve));
    live.add(this as AbandonableExporter<unknown>);
  }

  export(items: T[], resultCallback: (result: ExportResult) => void): void {
    if (this.refusing) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('export refused: the shutdown timeout elapsed') });
      return;
    }
    let done = false;
    const finish = (result: ExportResult): void => {
      if (done) return;
      done = true;
      this.pending.delete(finish);
      resultCallback(result);
    };
    this.pending.add(finish);
    try {
      this.inner.export(items, finish);
    } catch (error) {
      finish({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  /** Completes every in-flight export as FAILED now; with `final`, later exports fail at once too. */
  abandonPending(final = false): void {
    if (final) this.refusing = true;
    if (this.pending.size === 0 && !final) return;
    this.giveUp();
    const error = new Error('export abandoned: the shutdown/flush timeout elapsed');
    for (const finish of [...this.pending]) finish({ code: ExportResultCode.FAILED, error });
  }

  // The inner exporter's forceFlush/shutdown wait for every request it sent, abandoned ones included.
  forceFlush(): Promise<void> {
    return Promise.race([(this.inner.forceFlush?.() ?? Promise.resolve()).catch(() => undefined), this.givenUp]);
  }

  shutdown(): Promise<void> {
    return Promise.race([this.inner.shutdown().catch(() => undefined), this.givenUp]);
  }
}

/** Gives up every in-flight export of every live exporter (see {@link AbandonableExporter}). */
export function abandonPendingExports(opts: { final?: boolean } = {}): void {
  for (const e of live) e.abandonPending(opts.final ?? false);
}

/**
 * Agent factory for the OTLP exporters: keep-alive agents whose sockets never keep the process
 * alive (the SDK's shutdown paths hold the process open for a bounded time instead), marked
 * as export agents so that their requests are neither traced nor measured.
 */
export function nonBlockingAgentFactory(protocol: string, tls: Pick<https.AgentOptions, 'ca' | 'cert' | 'key'> = {}): http.Agent {
  const agent = protocol === 'https:' ? new https.Agent({ keepAlive: true, ...tls }) : new http.Agent({ keepAlive: true });
  const withAdd = agent as unknown as { addRequest(req: http.ClientRequest, ...rest: unknown[]): void };
  const addRequest = withAdd.addRequest.bind(agent);
  // Also after reuse: the agent ref()s a pooled socket before handing it to the request.
  withAdd.addRequest = (req, ...rest) => {
    req.once('socket', (socket: Socket) => socket.unref());
    addRequest(req, ...rest);
  };
  return markExportAgent(agent);
}
