import { describe, expect, it } from 'vitest';
import { readSetting } from './read-setting.js';

describe('readSetting', () => {
  it('takes the option over the environment and names where the value came from', () => {
    const env = { A: 'env-a', B: 'env-b' };
    expect(readSetting(env, { name: 'options.x', value: 3 }, 'A', 'B')).toEqual({ from: 'option', source: 'options.x', value: 3 });
    expect(readSetting(env, { name: 'options.x', value: false }, 'A')).toEqual({ from: 'option', source: 'options.x', value: false });
    expect(readSetting(env, { name: 'options.x', value: undefined }, 'A', 'B')).toEqual({ from: 'env', source: 'A', value: 'env-a' });
    expect(readSetting(env, undefined, 'C', 'B')).toEqual({ from: 'env', source: 'B', value: 'env-b' });
    expect(readSetting(env, undefined, 'C')).toBeUndefined();
  });

  it('treats blank strings as not given, for options and variables alike', () => {
    const env = { BLANK: '  ', SET: 'v' };
    expect(readSetting(env, { name: 'options.x', value: ' ' }, 'BLANK', 'SET')).toEqual({ from: 'env', source: 'SET', value: 'v' });
    expect(readSetting(env, { name: 'options.x', value: '' }, 'BLANK')).toBeUndefined();
  });
});
