import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toYaml } from './serialize.js';

const key = fc.oneof(
  fc.constantFrom('a', 'job_name', 'otlp_grpc/tempo', 'true', '1', 'x: y', '#c', '${env:X}', 'le'),
  fc.string({ minLength: 1, maxLength: 8 }),
);
const str = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    '',
    'yes',
    'null',
    '0.25',
    '1e3',
    '-1',
    ' lead',
    'trail ',
    'a: b',
    'a #b',
    '- x',
    '"q"',
    "'s'",
    '${env:TOKEN}',
    'Bearer ${env:T}',
    '(?i).*(a|b).*',
    'x\ny',
    'sum(x)\n/\nsum(y)',
    '[a]',
    '{a}',
    '*a',
    '&a',
    '!t',
    '%x',
    '@x',
    '`x`',
    '0.0.0.0:4317',
  ),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    str,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    tie('arr'),
    tie('obj'),
  ),
  arr: fc.array(tie('value'), { maxLength: 4 }),
  obj: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
})).obj;

describe('toYaml', () => {
  it('round-trips arbitrary plain data through a real YAML parser', () => {
    fc.assert(
      fc.property(json, (data) => {
        const normalised = JSON.parse(JSON.stringify(data)) as unknown; // -0 -> 0
        expect(parse(toYaml(normalised))).toEqual(normalised);
      }),
      { numRuns: 500 },
    );
  });

  it('writes multi-line strings as literal blocks and ends with one newline', () => {
    const text = toYaml({ rules: [{ expr: 'a\n/\nb', labels: { severity: 'page' } }] });
    expect(text).toContain('  - expr: |-\n      a\n      /\n      b\n    labels:\n      severity: page\n');
    expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
  });
});
