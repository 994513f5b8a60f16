import http, { type IncomingMessage } from 'node:http';
import { metricsHandler } from './metrics-handler.js';

export interface MetricsServer {
  readonly server: http.Server;
  close(): Promise<void>;
}

/** True for scrapes of /metrics, which are never traced or counted as HTTP server requests. */
export function isMetricsRequest(req: IncomingMessage, metricsPort: number | false): boolean {
  const url = req.url;
  if (url !== undefined && (url === '/metrics' || url.startsWith('/metrics?'))) return true;
  return metricsPort !== false && req.socket?.localPort === metricsPort;
}

/**
 * Starts the separate /metrics server. It never keeps the process alive (unref) and never
 * throws: a bind failure (port in use) is reported once through `onError`.
 */
export function startMetricsServer(port: number, host: string, onError: (error: Error) => void): MetricsServer {
  const server = http.createServer((req, res) => {
    const path = req.url?.split('?', 1)[0];
    if (req.method === 'GET' && (path === '/metrics' || path === '/')) {
      void metricsHandler(req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  server.keepAliveTimeout = 65_000;
  server.on('error', (error) => onError(error));
  // Scrapers keep connections alive; they must not keep the process alive either.
  server.on('connection', (socket) => socket.unref());
  server.listen(port, host);
  server.unref();
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
