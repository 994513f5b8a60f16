import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsHandler } from './metrics-handler.js';

export interface MetricsServer {
  readonly server: http.Server;
  /** The port it listens on (the chosen one for port 0), once listening. */
  port(): number | undefined;
  close(): Promise<void>;
}

export interface MetricsServerEvents {
  /** Listening; `url` is the scrape URL (with the real port when 0 was asked for). */
  onListening(url: string, port: number): void;
  /** Could not listen: one line that says why and what to set. */
  onError(message: string, error: Error): void;
}

/** True for scrapes of /metrics, which are never traced or counted as HTTP server requests. */
export function isMetricsRequest(req: IncomingMessage, metricsPort: number | false | undefined): boolean {
  const url = req.url;
  if (url !== undefined && (url === '/metrics' || url.startsWith('/metrics?'))) return true;
  return metricsPort !== false && metricsPort !== undefined && req.socket?.localPort === metricsPort;
}

/**
 * Starts the separate /metrics server. It never keeps the process alive (unref) and never
 * throws: a bind failure (port in use, no permission) is reported once through `onError`, with
 * the variable to change; the application keeps running without it.
 */
export function startMetricsServer(port: number, host: string, events: MetricsServerEvents): MetricsServer {
  const server = http.createServer((req, res) => {
    const path = req.url?.split('?', 1)[0];
    if (req.method === 'GET' && (path === '/metrics' || path === '/')) {
      void metricsHandler(req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  server.keepAliveTimeout = 65_000;
  let listeningPort: number | undefined;
  server.on('error', (error: NodeJS.ErrnoException) => events.onError(describeListenError(error, host, port), error));
  server.on('listening', () => {
    listeningPort = (server.address() as AddressInfo).port;
    events.onListening(`http://${host.includes(':') ? `[${host}]` : host}:${listeningPort}/metrics`, listeningPort);
  });
  // Scrapers keep connections alive; they must not keep the process alive either.
  server.on('connection', (socket) => socket.unref());
  server.listen(port, host);
  server.unref();
  return {
    server,
    port: () => listeningPort,
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** One line for a listen failure, naming PLATFORM_METRICS_PORT and its alternatives. */
export function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `${host}:${port}`;
  const fix = 'set PLATFORM_METRICS_PORT to a free port, 0 for an ephemeral one (logged at startup), or off';
  if (error.code === 'EADDRINUSE') return `metrics server not started: ${where} is already in use (PLATFORM_METRICS_PORT=${port}); ${fix}`;
  if (error.code === 'EACCES') return `metrics server not started: no permission to listen on ${where} (PLATFORM_METRICS_PORT=${port}); ${fix}`;
  return `metrics server not started on ${where} (PLATFORM_METRICS_PORT=${port}): ${error.message}; ${fix}`;
}
