import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Makes the span attribute value length limit bound memory, not just the exported size.
 *
 * The SDK truncates long values with `substring`, and V8 returns a *sliced* string for that:
 * a view that keeps the whole original alive. A 4 KB slice of a 15 KB URL retained 15 KB for
 * as long as the span sat in the export queue. When a span ends (before the batch processor
 * queues it), every string value at the limit, in attributes, string arrays, event attributes
 * and the status message, is replaced by a real copy, which drops the reference to the
 * original. Status messages (not limited by the SDK) are truncated here too.
 */
export class BoundedAttributeSpanProcessor implements SpanProcessor {
  constructor(private readonly limit: number) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    if (!Number.isFinite(this.limit) || this.limit <= 0) return;
    copyTruncated(span.attributes as Record<string, unknown>, this.limit);
    for (const event of span.events) if (event.attributes !== undefined) copyTruncated(event.attributes as Record<string, unknown>, this.limit);
    const message = span.status.message;
    if (typeof message === 'string' && message.length >= this.limit) {
      (span.status as { message?: string }).message = detachedPrefix(message, this.limit);
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function copyTruncated(attributes: Record<string, unknown>, limit: number): void {
  for (const key in attributes) {
    const value = attributes[key];
    if (typeof value === 'string') {
      if (value.length >= limit) attributes[key] = detachedPrefix(value, limit);
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === 'string' && item.length >= limit) value[i] = detachedPrefix(item, limit);
      }
    }
  }
}

/**
 * The first `limit` UTF-16 code units of `value` as a new string that shares no memory with
 * `value` (a UTF-16 round trip through a Buffer copies every code unit, lone surrogates included).
 */
export function detachedPrefix(value: string, limit: number): string {
  const prefix = value.length > limit ? value.substring(0, limit) : value;
  return Buffer.from(prefix, 'utf16le').toString('utf16le');
}
