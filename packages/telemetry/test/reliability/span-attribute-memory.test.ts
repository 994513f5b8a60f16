/**
 * Span attribute values are capped by default (4096 UTF-16 code units, or
 * OTEL_[SPAN_]ATTRIBUTE_VALUE_LENGTH_LIMIT) and the kept prefix does not keep the original
 * alive: V8's substring is a view on its parent, so without a copy a 4 KB prefix of a 15 KB URL
 * retains 15 KB for as long as the span is queued. Measured in a child process with
 * --expose-gc: heap retained per finished span, with every span kept as an export queue would.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/attribute-retention.mjs');

interface Retention {
  spans: number;
  limit: number;
  kept: number;
  prefixOk: boolean;
  retainedBytesPerSpan: number;
}

function measure(env: Record<string, string>): Retention {
  const r = spawnSync(process.execPath, ['--expose-gc', fixture], {
    env: { ...process.env, NODE_OPTIONS: '', OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '', OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`fixture failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Retention;
}

describe('span attribute value length limit', () => {
  it('truncates a 15 KB URL to 4096 characters by default and retains about the kept prefix, not the original', () => {
    const r = measure({});
    console.log(`FIGURE attribute-retention default ${JSON.stringify(r)}`);
    expect(r.spans).toBe(2000);
    expect(r.limit).toBe(4096);
    expect(r.kept).toBe(4096);
    expect(r.prefixOk).toBe(true);
    // A one-byte 4096-char string is ~4.1 KB; span bookkeeping adds ~1-2 KB. Retaining the
    // 15 KB original would put this above 15,000.
    expect(r.retainedBytesPerSpan).toBeLessThan(4096 + 4000);
  });

  it('honours OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT=256 (and OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT over it) with memory to match', () => {
    const r = measure({ OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '256' });
    console.log(`FIGURE attribute-retention 256 ${JSON.stringify(r)}`);
    expect(r.kept).toBe(256);
    expect(r.retainedBytesPerSpan).toBeLessThan(256 + 4000);
    const specific = measure({ OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '256', OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '1024' });
    expect(specific.kept).toBe(1024);
  });
});
