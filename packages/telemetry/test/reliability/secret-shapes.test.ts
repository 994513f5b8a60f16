/**
 * Issue 11's leak reproductions against a real instrumented process (`--import register`), a
 * real OTLP receiver (logs as JSON, traces as protobuf) and real HTTP: every secret a caller
 * sends, under every shape the app logs or calls with, is absent from stdout, stderr, decoded
 * spans and logs, and the raw OTLP bytes. Also PLATFORM_TRUST_INCOMING_CONTEXT=false end to end.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../support/free-port.js';
import { spawnInstrumented, waitUntilReady, type InstrumentedProcess } from '../support/instrumented-process.js';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
let receiver: OtlpReceiver;
let app: InstrumentedProcess;
let base: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const port = await freePort();
  app = spawnInstrumented({
    script: 'leaky-app.mjs',
    cwd: FIXTURES,
    env: {
      PORT: String(port),
      OTEL_SERVICE_NAME: 'leaky-app',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_BLRP_SCHEDULE_DELAY: '200',
      PLATFORM_METRICS_PORT: '0',
      PLATFORM_TRUST_INCOMING_CONTEXT: 'false',
    },
  });
  base = `http://127.0.0.1:${port}`;
  await waitUntilReady(app, `${base}/healthz`);
});
afterAll(async () => {
  await app?.stop();
  await receiver?.stop();
});

const secret = (label: string) => `${label}${randomBytes(12).toString('hex')}`;

describe('secrets in every shape (leaky-app, --import register)', () => {
  it('appear nowhere: stdout, stderr, decoded spans and logs, raw OTLP bytes', async () => {
    const s = { auth: secret('AUTH'), xauth: secret('XAUTH'), apim: secret('APIM'), cookie: secret('COOKIE'), token: secret('TOKEN') };
    const res = await fetch(`${base}/leak?token=${s.token}&jwt=${s.token}&pass=${s.token}&page=3`, {
      headers: {
        authorization: `Bearer ${s.auth}`,
        'x-auth-token': s.xauth,
        'ocp-apim-subscription-key': s.apim,
        cookie: `sid=${s.cookie}`,
      },
    });
    expect(await res.text()).toBe('done');
    await waitFor(() => app.jsonLogs().some((l) => l.msg === 'leak done'));
    const logs = await receiver.waitForLogs((l) => l.some((r) => r.body === 'leak done'));
    const spans = await receiver.waitForSpans(
      (all) => all.filter((x) => x.kind === SPAN_KIND.CLIENT).length >= 2 && all.some((x) => String(x.attributes['url.query']).includes('page=3')),
    );

    // The lines and spans the search runs over are the ones expected (the search is meaningful).
    const lines = app.jsonLogs();
    for (const msg of [
      'child bindings',
      'grandchild bindings',
      'whole request',
      'raw headers',
      'axios error',
      'error under another key',
      'urls',
      'map and headers',
      'deep',
    ]) {
      expect(
        lines.some((l) => l.msg === msg),
        msg,
      ).toBe(true);
      expect(
        logs.some((r) => r.body === msg),
        `OTLP ${msg}`,
      ).toBe(true);
    }
    expect(lines.find((l) => l.msg === 'whole request')!.req).toMatchObject({ method: 'GET', headers: { authorization: '[REDACTED]' } });
    expect(lines.find((l) => l.msg === 'axios error')!.err).toMatchObject({
      type: 'Error',
      config: { headers: { Authorization: '[REDACTED]', Accept: 'application/json' } },
    });
    const server = spans.find((x) => x.kind === SPAN_KIND.SERVER && String(x.attributes['url.query']).includes('page=3'))!;
    expect(server.attributes['url.query']).toBe('token=REDACTED&jwt=REDACTED&pass=REDACTED&page=3');
    const clientUrls = spans.filter((x) => x.kind === SPAN_KIND.CLIENT).map((x) => String(x.attributes['url.full']));
    expect(clientUrls.some((u) => u.includes('jwt=REDACTED&page=1'))).toBe(true);
    expect(clientUrls.some((u) => u.includes('pass=REDACTED&Authorization=REDACTED&page=2'))).toBe(true);

    const haystacks: Record<string, string> = {
      stdout: app.stdoutLines.join('\n'),
      stderr: app.stderr(),
      decodedSpans: JSON.stringify(receiver.spans),
      decodedLogs: JSON.stringify(receiver.logs),
    };
    for (const [name, value] of Object.entries(s)) {
      for (const [where, hay] of Object.entries(haystacks)) expect(hay.includes(value), `${name} leaked into ${where}`).toBe(false);
      for (const r of receiver.rawBodies) expect(r.body.includes(Buffer.from(value)), `${name} in raw ${r.signal} bytes`).toBe(false);
    }
  });

  it('PLATFORM_TRUST_INCOMING_CONTEXT=false: `traceparent …-00` neither suppresses the span nor sets the trace id; baggage is not forwarded', async () => {
    const incomingTrace = randomBytes(16).toString('hex');
    const res = await fetch(`${base}/leak?token=t&page=4`, {
      headers: { traceparent: `00-${incomingTrace}-b7ad6b7169203331-00`, baggage: 'user.id=victim,role=admin' },
    });
    expect(await res.text()).toBe('done');
    const spans = await receiver.waitForSpans((all) => all.some((x) => x.kind === SPAN_KIND.SERVER && String(x.attributes['url.query']).includes('page=4')));
    const server = spans.find((x) => x.kind === SPAN_KIND.SERVER && String(x.attributes['url.query']).includes('page=4'))!;
    expect(server.traceId).not.toBe(incomingTrace);
    expect(server.parentSpanId).toBe('');
    await waitFor(() => app.jsonLogs().filter((l) => l.msg === 'leak done').length >= 2);
    const lines = app.jsonLogs();
    expect(lines.some((l) => l.trace_id === incomingTrace)).toBe(false);
    expect(lines.some((l) => l.msg === 'whole request' && l.trace_id === server.traceId)).toBe(true);
    const echoed = lines.filter((l) => l.msg === 'echo').map((l) => l.forwardedBaggage);
    expect(echoed.length).toBeGreaterThanOrEqual(4);
    expect(echoed.every((b) => b === null)).toBe(true);
  });
});
