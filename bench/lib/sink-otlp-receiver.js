// @ts-check
import { createServer } from 'node:http';

/**
 * An OTLP/HTTP endpoint on 127.0.0.1 that reads every export fully and answers 200 with an
 * empty body, like a healthy collector. Counts bytes so a benchmark can show export happened.
 */
export async function startSinkOtlpReceiver() {
  let requests = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (c) => (bytes += c.length));
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ requests, bytes }),
    close: () => new Promise((r) => server.close(() => r(undefined))),
  };
}
