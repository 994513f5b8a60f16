import pino from 'pino';
import { REDACTED } from './redact-deep.js';

/**
 * Error fields that carry a raw request or response payload as text: body-parser puts the
 * unparsed body of a malformed JSON request on `err.body`, some HTTP clients keep `rawBody`.
 * Key-based redaction cannot see a password inside such text, so the whole field is redacted.
 */
const RAW_PAYLOAD_FIELDS = ['body', 'rawBody'] as const;

/** pino's standard error serializer (type, message, stack, cause, own fields), minus raw payloads. */
export function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const serialized = pino.stdSerializers.err(value) as Record<string, unknown>;
  for (const field of RAW_PAYLOAD_FIELDS) if (serialized[field] !== undefined) serialized[field] = REDACTED;
  return serialized;
}
