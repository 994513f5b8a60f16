import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACT_QUERY_PARAMS } from '../config/defaults.js';
import { createSecretParamMatcher, redactQueryString, redactUrl } from './redact-url.js';

const isSecret = createSecretParamMatcher(DEFAULT_REDACT_QUERY_PARAMS);

describe('URL redaction', () => {
  it('redacts secret-looking query parameters only', () => {
    expect(redactUrl('https://h/p?token=abc&page=2&api_key=k#frag', isSecret)).toBe('https://h/p?token=REDACTED&page=2&api_key=REDACTED#frag');
    expect(redactQueryString('X-Amz-Signature=s&code=c&q=shoes&myAuthToken=z', isSecret)).toBe(
      'X-Amz-Signature=REDACTED&code=REDACTED&q=shoes&myAuthToken=REDACTED',
    );
  });
  it('returns the same string when nothing is secret', () => {
    const url = 'http://h/orders?page=1';
    expect(redactUrl(url, isSecret)).toBe(url);
    expect(redactUrl('http://h/orders', isSecret)).toBe('http://h/orders');
  });
});
