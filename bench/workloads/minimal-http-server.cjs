// @ts-check
'use strict';
/**
 * The minimal node:http server of figure 1: every request answers 200 "ok" and, depending on
 * BENCH_LOG_LINE, writes one log line first (except `GET /bench/no-log`, which answers the same
 * without it: figure 1b prices the line as the difference of the two paths in one process):
 * - `none`: no log line;
 * - `pino`: a raw pino logger with the SDK's default redaction keys as exact paths (pino's best
 *   case, as in the logger figure), async to fd 1 (the bench points stdout at /dev/null). Under
 *   the upstream register its pino instrumentation also exports the line over OTLP;
 * - `platform`: the SDK's `logger` (trace-correlated, redacted at any depth, OTLP-exported
 *   when the SDK runs with a logs endpoint).
 * `GET /bench/served` answers `{"served":N,"logged":M}`: the requests served so far (itself
 * included) and the log lines written, so the figure can check that the sink received one SERVER
 * span per request and one log record per line.
 * CommonJS, so the upstream register's pino instrumentation patches `require('pino')` without
 * an ESM loader hook. On SIGTERM it stops serving, so the process exits once the telemetry
 * SDK in it (ours or upstream's, both listen for SIGTERM) has flushed its export queues.
 */
const http = require('node:http');

const mode = process.env.BENCH_LOG_LINE ?? 'none';
const port = Number(process.env.PORT ?? 0);

/** @type {{ info: (fields: object, msg: string) => void } | undefined} */
let log;
if (mode === 'pino') {
  const pino = require('pino');
  const { DEFAULT_REDACT_KEYS } = require('@platform/telemetry');
  const quote = (/** @type {string} */ k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`);
  log = pino({ level: 'info', redact: { paths: DEFAULT_REDACT_KEYS.map(quote), censor: '[REDACTED]' } }, pino.destination({ dest: 1, sync: false }));
} else if (mode === 'platform') {
  log = require('@platform/telemetry').logger;
} else if (mode !== 'none') {
  throw new Error(`BENCH_LOG_LINE must be none, pino or platform, not ${mode}`);
}

let served = 0;
let logged = 0;
const server = http.createServer((req, res) => {
  served++;
  if (log !== undefined && req.url !== '/bench/no-log') {
    logged++;
    log.info({ path: req.url, status: 200 }, 'request served');
  }
  const body = req.url === '/bench/served' ? JSON.stringify({ served, logged }) : 'ok';
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
