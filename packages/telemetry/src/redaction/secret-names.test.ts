import { describe, expect, it } from 'vitest';
import { createSecretNameMatcher, looksLikeSecretName, nameWords } from './secret-names.js';

describe('secret names by shape', () => {
  it('splits names into words at separators, camelCase humps and digits', () => {
    expect(nameWords('X-Auth-Token')).toEqual(['x', 'auth', 'token']);
    expect(nameWords('clientSecretV2')).toEqual(['client', 'secret', 'v', '2']);
    expect(nameWords('AWSAccessKeyId')).toEqual(['aws', 'access', 'key', 'id']);
    expect(nameWords('user.password_hash')).toEqual(['user', 'password', 'hash']);
  });

  it.each([
    'accessToken',
    'access_token',
    'ACCESS-TOKEN',
    'access.token',
    'accesstoken',
    'clientSecret',
    'client_secret',
    'refreshToken',
    'x-auth-token',
    'X-Auth-Key',
    'privateKey',
    'PRIVATE_KEY',
    'privatekey',
    'jwt',
    'sessionId',
    'session_id',
    'sessionid',
    'authorization',
    'Proxy-Authorization',
    'cookie',
    'Set-Cookie',
    'cookies',
    'password',
    'passwd',
    'pass',
    'dbPass',
    'user_pass',
    'pwd',
    'passphrase',
    'apiKey',
    'api_key',
    'x-api-key',
    'API_KEY',
    'apikey',
    'credentials',
    'awsCredential',
    'signature',
    'X-Amz-Signature',
    'X-Amz-Credential',
    'AWSAccessKeyId',
    'ocp-apim-subscription-key',
    'Ocp-Apim-Subscription-Key',
    'secret',
    'secretValue',
    'id_token_hint',
    'auth',
    'x-auth',
    'basicAuth',
    'basicauth',
    'userpass',
    'tokens',
    'csrfToken',
    '_csrf',
    'secret_key',
    'signingKey',
    'encryption-key',
  ])('%s is a secret', (name) => {
    expect(looksLikeSecretName(name)).toBe(true);
  });

  it.each([
    'passenger',
    'passengers',
    'compass',
    'bypass',
    'passThrough',
    'author',
    'authors',
    'authMethod',
    'authType',
    'oauthProvider',
    'tokenizer',
    'secretary',
    'tokenType',
    'token_type',
    'secretName',
    'passwordChangedAt',
    'tokenExpiresAt',
    'promptTokens',
    'completion_tokens',
    'max_tokens',
    'keyboard',
    'key',
    'cacheKey',
    'idempotencyKey',
    'partitionKey',
    'session',
    'signatureAlgorithm',
    'user',
    'orderId',
    'email',
    'cookieName',
    '',
  ])('%s is not a secret', (name) => {
    expect(looksLikeSecretName(name)).toBe(false);
  });

  it('adds configured names whatever their case and separators', () => {
    const isSecret = createSecretNameMatcher(['ssn', 'x-tenant-pin']);
    expect(isSecret('SSN')).toBe(true);
    expect(isSecret('X_Tenant_Pin')).toBe(true);
    expect(isSecret('xTenantPin')).toBe(true);
    expect(isSecret('tenant')).toBe(false);
    expect(isSecret('password')).toBe(true); // the shape rules always apply
  });
});
