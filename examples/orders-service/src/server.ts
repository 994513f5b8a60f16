/**
 * Orders example service. Instrumented only by `node --import @platform/telemetry/register`;
 * the code itself just uses the SDK logger and the /metrics handler.
 */
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { HttpStatusError, ResilienceError, logger, metricsHandler, parseRetryAfter, resilient } from '@platform/telemetry';

interface Order {
  id: string;
  sku: string;
  quantity: number;
  createdAt: string;
}

const PORT = Number(process.env.PORT ?? 8080);
const HOST = process.env.HOST ?? '127.0.0.1';
const INVENTORY_URL = process.env.INVENTORY_URL ?? `http://${HOST}:${PORT}/internal/inventory`;
/** Fault injection for load-test drills: every API request waits this long first (0: off). */
const INJECTED_LATENCY_MS = Math.max(0, Number(process.env.ORDERS_INJECTED_LATENCY_MS ?? 0) || 0);

const orders = new Map<string, Order>([
  ['1', { id: '1', sku: 'widget', quantity: 2, createdAt: new Date(0).toISOString() }],
  ['2', { id: '2', sku: 'gadget', quantity: 1, createdAt: new Date(0).toISOString() }],
]);
let nextId = 3;

// The inventory API is a flaky dependency: every call goes through retry (with backoff and a
// retry budget), a circuit breaker and a per-attempt timeout, all visible in metrics, span
// events and log lines under the dependency name the manifest declares.
const inventoryApi = resilient('inventory-api', {
  retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200 },
  breaker: { consecutiveFailures: 5, openDurationMs: 5_000 },
  timeout: { ms: 1_000 },
});

async function fetchInventory(sku: string, signal: AbortSignal): Promise<{ sku: string; available: number }> {
  return inventoryApi.execute(
    async (attemptSignal) => {
      const upstream = await fetch(`${INVENTORY_URL}/${encodeURIComponent(sku)}`, { signal: attemptSignal });
      if (!upstream.ok) {
        await upstream.arrayBuffer();
        const retryAfterMs = parseRetryAfter(upstream.headers.get('retry-after'));
        throw new HttpStatusError('inventory-api', upstream.status, retryAfterMs);
      }
      return (await upstream.json()) as { sku: string; available: number };
    },
    { signal, idempotent: true },
  );
}

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '64kb' }));

// One log line per handled request (inside the request span, so it carries trace_id/span_id).
app.use((req: Request, res: Response, next: NextFunction) => {
  const start = process.hrtime.bigint();
  res.on('finish', () => {
    if (req.path === '/metrics') return;
    logger.info(
      {
        method: req.method,
        path: req.path,
        route: req.route?.path as string | undefined,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - start) / 1e6,
      },
      'request handled',
    );
  });
  next();
});

if (INJECTED_LATENCY_MS > 0) {
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (req.path === '/healthz' || req.path === '/metrics') return next();
    setTimeout(next, INJECTED_LATENCY_MS);
  });
}

app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});

app.get('/metrics', metricsHandler);

app.get('/orders', (_req, res) => {
  res.json({ orders: [...orders.values()] });
});

app.get('/orders/:id', (req, res) => {
  const order = orders.get(req.params.id);
  if (!order) {
    res.status(404).json({ error: 'order not found' });
    return;
  }
  res.json(order);
});

app.post('/orders', (req, res) => {
  const body = req.body as { sku?: unknown; quantity?: unknown } | undefined;
  const problems: string[] = [];
  if (typeof body?.sku !== 'string' || body.sku.length === 0) problems.push('sku must be a non-empty string');
  if (typeof body?.quantity !== 'number' || !Number.isInteger(body.quantity) || body.quantity < 1) {
    problems.push('quantity must be a positive integer');
  }
  if (problems.length > 0) {
    res.status(400).json({ error: 'invalid order', problems });
    return;
  }
  const order: Order = {
    id: String(nextId++),
    sku: body!.sku as string,
    quantity: body!.quantity as number,
    createdAt: new Date().toISOString(),
  };
  orders.set(order.id, order);
  res.status(201).json(order);
});

app.get('/orders/:id/inventory', async (req, res, next) => {
  const order = orders.get(req.params.id);
  if (!order) {
    res.status(404).json({ error: 'order not found' });
    return;
  }
  try {
    const inventory = await fetchInventory(order.sku, AbortSignal.timeout(3_000));
    res.json({ order, inventory });
  } catch (error) {
    // Breaker open, retries or retry budget used up, attempt timed out: the dependency is down.
    if (error instanceof ResilienceError) {
      res.status(502).json({ error: 'inventory unavailable', reason: error.name });
      return;
    }
    next(error);
  }
});

// Stand-in for the downstream inventory service (the default INVENTORY_URL).
app.get('/internal/inventory/:sku', (req, res) => {
  res.json({ sku: req.params.sku, available: req.params.sku.length * 7 });
});

app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
  // Client errors raised by middleware (e.g. malformed JSON: 400) keep their status.
  const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
  if (status === 500) logger.error({ err }, 'request failed');
  else logger.warn({ err }, 'request rejected');
  if (!res.headersSent) res.status(status).json({ error: status === 500 ? 'internal error' : 'bad request' });
});

const server: Server = app.listen(PORT, HOST, (error?: Error) => {
  // Express 5 hands listen errors (EADDRINUSE …) to this callback: a service that cannot serve exits non-zero.
  if (error) {
    logger.fatal({ err: error, port: PORT, host: HOST }, 'orders-service cannot listen');
    process.exitCode = 1;
    return;
  }
  logger.info({ port: PORT, host: HOST }, 'orders-service listening');
});

// Graceful close: stop accepting, let in-flight requests finish, then let the process end on
// its own (the telemetry SDK flushes on beforeExit). A hard deadline guards against stuck sockets.
let closing = false;
function close(signal: NodeJS.Signals): void {
  // Ctrl-C in a shell sends SIGINT and the job runner then SIGTERM: close (and say so) once.
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'shutting down');
  server.close();
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), 3000).unref();
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on('SIGTERM', close);
process.on('SIGINT', close);
