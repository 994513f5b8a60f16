/**
 * Property: a secret seeded under any spelling of a secret name, in any shape and at any depth,
 * never appears in the printed line, in the OTLP log record made from it, or in a span.
 */
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { emptyResource } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { SpanStatusCode } from '@opentelemetry/api';
import fc from 'fast-check';
import type { Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACT_KEYS, DEFAULT_REDACT_QUERY_PARAMS } from '../config/defaults.js';
import { createSecretParamMatcher } from '../redaction/redact-url.js';
import { UrlRedactingSpanProcessor } from '../tracing/url-redacting-span-processor.js';
import { createSdkLogger } from './logger.js';
import { createOtlpLogForwarder } from './otlp-log-forwarder.js';

/** Secret names as words; each is rendered in every spelling style below. */
const SECRET_NAMES: readonly (readonly string[])[] = [
  ['access', 'token'],
  ['refresh', 'token'],
  ['id', 'token'],
  ['client', 'secret'],
  ['x', 'auth', 'token'],
  ['x', 'auth', 'key'],
  ['private', 'key'],
  ['jwt'],
  ['session', 'id'],
  ['password'],
  ['db', 'password'],
  ['passwd'],
  ['pass'],
  ['user', 'pass'],
  ['api', 'key'],
  ['x', 'api', 'key'],
  ['ocp', 'apim', 'subscription', 'key'],
  ['authorization'],
  ['proxy', 'authorization'],
  ['cookie'],
  ['set', 'cookie'],
  ['credentials'],
  ['x', 'amz', 'signature'],
  ['secret'],
  ['token'],
];

const cap = (w: string): string => w[0]!.toUpperCase() + w.slice(1);
const STYLES: Record<string, (words: readonly string[]) => string> = {
  camel: (w) => w[0]! + w.slice(1).map(cap).join(''),
  pascal: (w) => w.map(cap).join(''),
  snake: (w) => w.join('_'),
  screaming: (w) => w.join('_').toUpperCase(),
  kebab: (w) => w.join('-'),
  train: (w) => w.map(cap).join('-'),
  dot: (w) => w.join('.'),
  // Run together (also what Headers makes of a camelCase name).
  flat: (w) => w.join(''),
};

const secretName = fc.tuple(fc.constantFrom(...SECRET_NAMES), fc.constantFrom(...Object.keys(STYLES))).map(([words, style]) => STYLES[style]!(words));

const BENIGN_KEYS = ['data', 'payload', 'ctx', 'meta', 'inner', 'items', 'details', 'response'];

type Shape = 'field' | 'rawHeaders' | 'map' | 'headers' | 'urlObject' | 'urlString' | 'errorField' | 'axiosError';
type Wrapper = 'object' | 'array' | 'errorProp' | 'map';
type Route = 'field' | 'childBinding' | 'grandchildBinding' | 'formatArg' | 'message';

function shaped(shape: Shape, name: string, secret: string): unknown {
  switch (shape) {
    case 'field':
      return { [name]: secret };
    case 'rawHeaders':
      return ['Host', 'example', name, secret, 'Accept', '*/*'];
    case 'map':
      return new Map([[name, secret]]);
    case 'headers':
      return new Headers({ [name]: secret });
    case 'urlObject':
      return new URL(`https://api.example/cb?page=1&${name}=${secret}`);
    case 'urlString':
      return `https://api.example/cb?${name}=${secret}#top`;
    case 'errorField':
      return Object.assign(new Error('request failed'), { [name]: secret });
    case 'axiosError':
      return Object.assign(new Error('Request failed with status code 401'), { config: { method: 'get', headers: { [name]: secret } } });
  }
}

function wrap(value: unknown, wrappers: readonly Wrapper[], keys: readonly string[]): unknown {
  let v = value;
  wrappers.forEach((w, i) => {
    const key = keys[i % keys.length]!;
    if (w === 'object') v = { [key]: v };
    else if (w === 'array') v = ['x', v];
    else if (w === 'map') v = new Map([[key, v]]);
    else v = Object.assign(new Error('wrapped'), { [key]: v });
  });
  return v;
}

describe('redaction property', () => {
  it('a seeded secret under any name spelling, shape and depth never reaches the printed line or the OTLP log record', async () => {
    const lines: string[] = [];
    const exporter = new InMemoryLogRecordExporter();
    const processor = new SimpleLogRecordProcessor({ exporter });
    const sdk = createSdkLogger(
      { level: 'info', serviceName: 'svc', serviceVersion: undefined, environment: 'test', redactKeys: DEFAULT_REDACT_KEYS },
      { write: (line: string) => void lines.push(line) },
    );
    sdk.setSink(createOtlpLogForwarder({ resource: emptyResource(), scope: { name: 'test' }, processor }, sdk.rootSerializers));

    await fc.assert(
      fc.asyncProperty(
        secretName,
        fc.constantFrom<Shape>('field', 'rawHeaders', 'map', 'headers', 'urlObject', 'urlString', 'errorField', 'axiosError'),
        fc.array(fc.constantFrom<Wrapper>('object', 'array', 'errorProp', 'map'), { maxLength: 14 }),
        fc.shuffledSubarray(BENIGN_KEYS, { minLength: 1 }),
        fc.constantFrom<Route>('field', 'childBinding', 'grandchildBinding', 'formatArg', 'message'),
        fc.stringMatching(/^[0-9a-f]{16}$/),
        async (name, shape, wrappers, keys, route, hex) => {
          const secret = `S3CRET${hex}`;
          lines.length = 0;
          exporter.reset();
          const value = wrap(shaped(shape, name, secret), wrappers, keys);
          const logger: Logger = sdk.logger;
          switch (route) {
            case 'field':
              logger.info({ [keys[0]!]: value }, 'logged');
              break;
            case 'childBinding':
              logger.child({ [keys[0]!]: value }).info('logged');
              break;
            case 'grandchildBinding':
              logger
                .child({ requestId: 'r1' })
                .child({ [keys[0]!]: value })
                .info('logged');
              break;
            case 'formatArg':
              logger.info('logged %o and %j', value, value);
              break;
            case 'message':
              logger.info(`calling https://api.example/cb?${name}=${secret}`);
              break;
          }
          await processor.forceFlush();
          const records = exporter.getFinishedLogRecords();
          expect(lines).toHaveLength(1);
          expect(records).toHaveLength(1);
          expect(lines[0]!.includes(secret), `line: ${lines[0]}`).toBe(false);
          const record = JSON.stringify({ body: records[0]!.body, attributes: records[0]!.attributes });
          expect(record.includes(secret), `record: ${record}`).toBe(false);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('a seeded secret query parameter under any name spelling never reaches a span attribute, exception event or status', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new UrlRedactingSpanProcessor(createSecretParamMatcher(DEFAULT_REDACT_QUERY_PARAMS)), new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('test');
    await fc.assert(
      fc.asyncProperty(
        secretName.filter((n) => !n.includes('.')).map((n) => n), // dots are fine in query names too, but keep names URL-plain
        fc.stringMatching(/^[0-9a-f]{16}$/),
        fc.constantFrom('start', 'later'),
        async (name, hex, when) => {
          exporter.reset();
          const secret = `S3CRET${hex}`;
          const query = `page=2&${encodeURIComponent(name)}=${secret}`;
          const attrs = { 'url.full': `https://api.example/v1/x?${query}`, 'url.query': query, 'http.target': `/v1/x?${query}` };
          const span = tracer.startSpan('GET', when === 'start' ? { attributes: attrs } : {});
          if (when === 'later') span.setAttributes(attrs);
          const failure = new Error(`request to https://api.example/v1/x?${query} failed`);
          span.recordException(failure);
          span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
          span.end();
          const [finished] = exporter.getFinishedSpans();
          const text = JSON.stringify({ attributes: finished!.attributes, events: finished!.events.map((e) => e.attributes), status: finished!.status });
          expect(text.includes(secret), text).toBe(false);
          expect(text).toContain('page=2');
          expect(finished!.status.message).toMatch(/ failed$/);
        },
      ),
      { numRuns: 500 },
    );
  });
});
