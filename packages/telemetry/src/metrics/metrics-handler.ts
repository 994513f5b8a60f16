import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRegistry } from './registry.js';
import { renderMetrics, wantsOpenMetrics } from './render-metrics.js';

/** Minimal shape of a Fastify request/reply, so Fastify needs no type dependency. */
interface FastifyLikeRequest {
  raw: IncomingMessage;
  headers: IncomingMessage['headers'];
}
interface FastifyLikeReply {
  raw: ServerResponse;
  code(status: number): FastifyLikeReply;
  header(name: string, value: string): FastifyLikeReply;
  send(body: string): FastifyLikeReply;
}

type MetricsRequest = IncomingMessage | FastifyLikeRequest;
type MetricsResponse = ServerResponse | FastifyLikeReply;

function isFastifyReply(res: MetricsResponse): res is FastifyLikeReply {
  return typeof (res as FastifyLikeReply).send === 'function' && 'raw' in res;
}

/**
 * Serves the SDK registry. Works as a node:http request listener, as Express middleware
 * (`app.get('/metrics', metricsHandler)`) and as a Fastify route handler
 * (`fastify.get('/metrics', metricsHandler)`). Answers OpenMetrics with exemplars when the
 * Accept header asks for `application/openmetrics-text`, else Prometheus text 0.0.4.
 */
export async function metricsHandler(req: MetricsRequest, res: MetricsResponse, _next?: unknown): Promise<void> {
  let status = 200;
  let contentType: string;
  let body: string;
  try {
    ({ contentType, body } = await renderMetrics(getRegistry(), wantsOpenMetrics(req.headers.accept)));
  } catch (error) {
    status = 500;
    contentType = 'text/plain; charset=utf-8';
    body = `metrics collection failed: ${error instanceof Error ? error.message : String(error)}\n`;
  }
  if (isFastifyReply(res)) {
    res.code(status).header('content-type', contentType).send(body);
    return;
  }
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
