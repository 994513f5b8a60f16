import { describe, expect, it } from 'vitest';
import { DevUsageError, parseDevArgs } from './cli.js';

describe('parseDevArgs', () => {
  it('defaults: both servers on 127.0.0.1 (4318 OTLP, 4000 UI), no manifest, no forward', () => {
    expect(parseDevArgs([])).toMatchObject({
      otlp: { host: '127.0.0.1', port: 4318 },
      ui: { host: '127.0.0.1', port: 4000 },
      manifest: undefined,
      forward: undefined,
      caps: {},
    });
  });

  it('flags with spaces or =, [HOST:]PORT, caps, forward', () => {
    const a = parseDevArgs([
      '--manifest',
      'x.yaml',
      '--port=4319',
      '--ui',
      '0.0.0.0:8000',
      '--max-traces',
      '5',
      '--max-spans=6',
      '--max-logs',
      '7',
      '--max-body-mb',
      '2',
      '--forward',
      'http://127.0.0.1:4318',
    ]);
    expect(a).toMatchObject({
      manifest: 'x.yaml',
      otlp: { host: '127.0.0.1', port: 4319 },
      ui: { host: '0.0.0.0', port: 8000 },
      caps: { maxTraces: 5, maxSpans: 6, maxLogs: 7 },
      maxBodyBytes: 2 * 1024 * 1024,
      forward: 'http://127.0.0.1:4318',
    });
    expect(parseDevArgs(['--ui', '[::1]:9000']).ui).toEqual({ host: '::1', port: 9000 });
  });

  it.each([
    [['--port', 'abc']],
    [['--port', '70000']],
    [['--max-spans', '0']],
    [['--max-logs', '-1']],
    [['--forward', 'ftp://x']],
    [['--manifest']],
    [['--nope']],
    [['extra']],
  ])('%j is a usage error', (argv) => {
    expect(() => parseDevArgs(argv)).toThrow(DevUsageError);
  });
});
