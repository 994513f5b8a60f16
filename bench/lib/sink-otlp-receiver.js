// @ts-check
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { countOtlpRecords } from './otlp-record-count.js';

/**
 * An OTLP/HTTP endpoint on 127.0.0.1 that reads every export fully and answers 200 with an
 * empty body, like a healthy collector. Counts bytes so a benchmark can show export happened.
 * With `countRecords`, it also counts the SERVER spans and log records it received (and the log
 * records whose body is `countRecords.logBody`), so a benchmark can check nothing was dropped;
 * without, it decodes nothing.
 * @param {{ countRecords?: { logBody: string } }} [options]
 */
export async function startSinkOtlpReceiver(options = {}) {
  let requests = 0;
  let bytes = 0;
  const records = { serverSpans: 0, logRecords: 0, matchingLogRecords: 0, undecodable: 0 };
  const server = createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (c) => {
      bytes += c.length;
      if (options.countRecords) chunks.push(c);
    });
    req.on('end', () => {
      requests++;
      const signal = req.url?.endsWith('/v1/traces') ? 'traces' : req.url?.endsWith('/v1/logs') ? 'logs' : undefined;
      if (options.countRecords && signal !== undefined) {
        try {
          let body = Buffer.concat(chunks);
          if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
          const json = (req.headers['content-type'] ?? '').includes('json');
          const c = countOtlpRecords(signal, body, json, options.countRecords.logBody);
          records.serverSpans += c.serverSpans;
          records.logRecords += c.logRecords;
          records.matchingLogRecords += c.matchingLogRecords;
        } catch {
          records.undecodable++;
        }
      }
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
    /** What was counted so far (all zero without `countRecords`). */
    records: () => ({ ...records }),
    close: () => new Promise((r) => server.close(() => r(undefined))),
  };
}
