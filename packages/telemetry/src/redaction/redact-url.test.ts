import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACT_QUERY_PARAMS } from '../config/defaults.js';
import { createSecretParamMatcher, redactQueryString, redactUrl, redactUrlsInText } from './redact-url.js';

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
  it('uses the shared name shape rules: jwt, authorization, pass, access_token, X-Amz-Signature, encoded names', () => {
    expect(redactQueryString('jwt=a&authorization=b&pass=c&access_token=d&X-Amz-Signature=e&ok=1', isSecret)).toBe(
      'jwt=REDACTED&authorization=REDACTED&pass=REDACTED&access_token=REDACTED&X-Amz-Signature=REDACTED&ok=1',
    );
    expect(redactQueryString('accessToken=a&client%5Fsecret=b&x-auth-key=c&passenger=kept', isSecret)).toBe(
      'accessToken=REDACTED&client%5Fsecret=REDACTED&x-auth-key=REDACTED&passenger=kept',
    );
  });
  it('replaces userinfo credentials in absolute URLs', () => {
    expect(redactUrl('https://ada:hunter2@db.example/x?page=1', isSecret)).toBe('https://REDACTED:REDACTED@db.example/x?page=1');
    expect(redactUrl('https://ghp_abc@github.com/o/r.git', isSecret)).toBe('https://REDACTED@github.com/o/r.git');
    expect(redactUrl('mailto:ada@example.com', isSecret)).toBe('mailto:ada@example.com');
  });
  it('redacts URLs quoted in free text and keeps the rest of the text', () => {
    expect(redactUrlsInText('request to https://h/p?token=abc&page=1 failed (ECONNRESET)', isSecret)).toBe(
      'request to https://h/p?token=REDACTED&page=1 failed (ECONNRESET)',
    );
    expect(redactUrlsInText('mail ada@example.com about /x?page=2', isSecret)).toBe('mail ada@example.com about /x?page=2');
    expect(redactUrlsInText('GET /cb?jwt=e30.x', isSecret)).toBe('GET /cb?jwt=REDACTED');
  });
});
