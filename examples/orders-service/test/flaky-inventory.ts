/**
 * A stand-in for the downstream inventory API on 127.0.0.1: in `every-third-fails` mode (the
 * start mode) every third call answers 503; in `down` mode every call does.
 */
import { createServer, type Server } from 'node:http';

export type InventoryMode = 'every-third-fails' | 'down';

export interface FlakyInventory {
  readonly url: string;
  readonly server: Server;
  setMode(mode: InventoryMode): void;
  calls(): number;
  close(): Promise<void>;
}

export async function startFlakyInventory(): Promise<FlakyInventory> {
  let mode: InventoryMode = 'every-third-fails';
  let calls = 0;
  const server = createServer((req, res) => {
    calls++;
    if (mode === 'down' || calls % 3 === 0) {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
      return;
    }
    const sku = decodeURIComponent(req.url?.split('/').pop() ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sku, available: 3 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/inventory`,
    server,
    setMode: (m) => (mode = m),
    calls: () => calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
