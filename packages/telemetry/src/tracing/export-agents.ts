import type { Agent } from 'node:http';

/** The http(s) agents of the SDK's OTLP exporters: every export request goes through one. */
const exportAgents = new WeakSet<Agent>();

/** Marks `agent` as carrying the SDK's own export traffic. */
export function markExportAgent<T extends Agent>(agent: T): T {
  exportAgents.add(agent);
  return agent;
}

/**
 * True for the SDK's own OTLP export requests (their options carry a marked agent). They are
 * neither traced nor counted in http_client_* metrics: the app's metrics show the app's calls,
 * and the exporter would otherwise trace its own exports, each export producing more spans.
 * Export batches run with tracing suppressed, but the http instrumentation still calls its
 * hooks (and so the client metrics) for suppressed requests; the agent identifies them
 * whatever the context.
 */
export function isExportRequest(options: { agent?: unknown } | undefined): boolean {
  const agent = options?.agent;
  return typeof agent === 'object' && agent !== null && exportAgents.has(agent as Agent);
}
