import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { redactQueryString, redactUrl, redactUrlsInText } from '../redaction/redact-url.js';

const URL_ATTRIBUTES = ['url.full', 'http.url', 'http.target'] as const;
const QUERY_ATTRIBUTE = 'url.query';
/** Free-text attributes of exception events, which may quote a URL. */
const TEXT_ATTRIBUTES = ['exception.message', 'exception.stacktrace'] as const;
/** Attributes that could carry credentials and are never kept on spans. */
const FORBIDDEN_ATTRIBUTE = /^http\.(request|response)\.header\.(authorization|proxy-authorization|cookie|set-cookie)$/;

/**
 * Redacts secret-looking query parameters and userinfo in URL attributes of every span
 * (whatever instrumentation made it) and drops authorization/cookie header attributes. Runs at
 * span start and again when the span is ending, so attributes added later are covered; at the
 * end also URLs quoted in exception events and the status message.
 */
export class UrlRedactingSpanProcessor implements SpanProcessor {
  constructor(private readonly isSecret: (name: string) => boolean) {}

  onStart(span: Span, _parentContext: Context): void {
    this.redact(span);
  }

  onEnding(span: Span): void {
    this.redact(span);
    // Error messages quote URLs too (`request to https://h/p?token=… failed`).
    for (const event of span.events) {
      const attrs = event.attributes as Record<string, unknown> | undefined;
      if (attrs === undefined) continue;
      for (const key of TEXT_ATTRIBUTES) {
        const v = attrs[key];
        if (typeof v === 'string') attrs[key] = redactUrlsInText(v, this.isSecret);
      }
    }
    const message = span.status.message;
    if (typeof message === 'string') (span.status as { message?: string }).message = redactUrlsInText(message, this.isSecret);
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  private redact(span: Span): void {
    const attrs = span.attributes;
    for (const key of URL_ATTRIBUTES) {
      const v = attrs[key];
      if (typeof v === 'string') {
        const r = redactUrl(v, this.isSecret);
        if (r !== v) span.setAttribute(key, r);
      }
    }
    const q = attrs[QUERY_ATTRIBUTE];
    if (typeof q === 'string') {
      const r = redactQueryString(q, this.isSecret);
      if (r !== q) span.setAttribute(QUERY_ATTRIBUTE, r);
    }
    for (const key in attrs) {
      if (key.charCodeAt(0) === 104 /* h */ && FORBIDDEN_ATTRIBUTE.test(key)) {
        (attrs as Record<string, unknown>)[key] = undefined;
        delete (attrs as Record<string, unknown>)[key];
      }
    }
  }
}
