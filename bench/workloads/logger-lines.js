// @ts-check
/**
 * Child process of the logger figure: stdout is /dev/null, so both loggers write the same way
 * (pino's async sonic-boom to fd 1) to a null destination. Runs inside an active, sampled span
 * so our logger pays for trace correlation. Prints one JSON result line on stderr.
 */
import { createRequire } from 'node:module';
import { trace } from '@opentelemetry/api';
import { initTelemetry, getLogger, DEFAULT_REDACT_KEYS } from '@platform/telemetry';

const require = createRequire(import.meta.url);
const pino = require('pino');

const [variant, linesArg] = process.argv.slice(2);
const lines = Number(linesArg);
const handle = initTelemetry({ serviceName: 'bench-logger' });

// pino cannot redact "at any depth": it needs paths. `pino` gets the default keys at the top
// level plus the exact paths where this payload carries secrets (its best case: the user knows
// every path); `pino-wildcards` gets the keys at depths 1-4 through wildcards (what "any depth"
// costs pino).
const quote = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`);
const join = (prefix, k) => (quote(k).startsWith('[') ? `${prefix}${quote(k)}` : `${prefix}.${k}`);
const exactPaths = [...DEFAULT_REDACT_KEYS.map(quote), 'order.customer.password', 'headers.authorization'];
const wildcardPaths = DEFAULT_REDACT_KEYS.flatMap((k) => [quote(k), join('*', k), join('*.*', k), join('*.*.*', k)]);
const rawPino = (paths) => pino({ level: 'info', redact: { paths, censor: '[REDACTED]' } }, pino.destination({ dest: 1, sync: false }));
const log = variant === 'platform' ? getLogger() : rawPino(variant === 'pino-wildcards' ? wildcardPaths : exactPaths);
const payload = { order: { id: 'o-1', amount: 42, customer: { email: 'a@b.c', password: 'hunter2' } }, headers: { authorization: 'Bearer x' } };

// Timed in chunks of 10,000 lines with a pause between them (not timed) in which the writer
// drains: a line's cost is the logger's, and neither logger's queue grows to the SDK's stdout
// bound (STDOUT_MAX_QUEUED_BYTES), past which our logger would drop lines instead of queueing them.
const CHUNK = 10_000;
await trace.getTracer('bench').startActiveSpan('bench', async (span) => {
  for (let i = 0; i < 5000; i++) log.info(payload, 'order created'); // warm-up
  let nanos = 0n;
  for (let done = 0; done < lines; done += CHUNK) {
    const n = Math.min(CHUNK, lines - done);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) log.info(payload, 'order created');
    nanos += process.hrtime.bigint() - t0;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  span.end();
  process.stderr.write(JSON.stringify({ linesPerSec: lines / (Number(nanos) / 1e9) }) + '\n');
});
await handle.shutdown();
