/** Span events, with the SDK's resilience decisions rendered as what they are. */
import { html } from 'htm/preact';
import { formatValue } from '../format.js';
import type { SpanEvent } from '../types.js';

export function describeEvent(e: SpanEvent): { kind: string; title: string; detail: string } {
  const a = e.attributes;
  if (e.name === 'resilience.attempt') {
    const outcome = String(a['resilience.outcome'] ?? '');
    const parts = [`dependency ${formatValue(a['resilience.dependency'])}`];
    if (Number(a['resilience.delay_ms'] ?? 0) > 0) parts.push(`after ${formatValue(a['resilience.delay_ms'])} ms backoff`);
    if (a['error.type'] !== undefined) parts.push(`error ${formatValue(a['error.type'])}`);
    return {
      kind: outcome === 'success' ? 'attempt-ok' : 'attempt-bad',
      title: `Attempt ${formatValue(a['resilience.attempt'])}: ${outcome}`,
      detail: parts.join(' · '),
    };
  }
  if (e.name === 'resilience.breaker.transition') {
    return {
      kind: a['resilience.breaker.to'] === 'closed' ? 'breaker-ok' : 'breaker',
      title: `Circuit breaker ${formatValue(a['resilience.dependency'])}: ${formatValue(a['resilience.breaker.from'])} → ${formatValue(a['resilience.breaker.to'])}`,
      detail: `reason: ${formatValue(a['resilience.breaker.reason'])}`,
    };
  }
  if (e.name === 'exception') {
    return { kind: 'exception', title: `Exception ${formatValue(a['exception.type'])}`, detail: formatValue(a['exception.message']) };
  }
  const detail = Object.entries(a)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(' · ');
  return { kind: 'plain', title: e.name, detail };
}

export function SpanEventRow({ event, spanStartMs }: { event: SpanEvent; spanStartMs: number }) {
  const d = describeEvent(event);
  return html`<li class=${`event ${d.kind}`} data-event=${event.name}>
    <span class="event-at mono">+${(event.timeMs - spanStartMs).toFixed(1)} ms</span>
    <span class="event-title">${d.title}</span>
    <span class="event-detail muted">${d.detail}</span>
  </li>`;
}
