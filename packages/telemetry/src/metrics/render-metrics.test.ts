import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { renderMetrics, wantsOpenMetrics } from './render-metrics.js';
import { getOrCreateHistogram } from './get-or-create-metric.js';
import { HTTP_SERVER_REQUEST_DURATION } from '@platform/conventions';

describe('renderMetrics', () => {
  it('negotiates the format from Accept', () => {
    expect(wantsOpenMetrics('application/openmetrics-text;version=1.0.0,text/plain;q=0.5')).toBe(true);
    expect(wantsOpenMetrics('text/plain')).toBe(false);
    expect(wantsOpenMetrics(undefined)).toBe(false);
  });

  it('renders both formats from one registry; exemplars only in OpenMetrics; counter names survive', async () => {
    const registry = new Registry();
    const h = getOrCreateHistogram(registry, HTTP_SERVER_REQUEST_DURATION, { enableExemplars: true }).metric as Histogram<string>;
    expect(getOrCreateHistogram(registry, HTTP_SERVER_REQUEST_DURATION).created).toBe(false);
    const c = new Counter({ name: 'things_total', help: 'Things counted for the test.', registers: [registry] });
    c.inc();
    h.observe({
      labels: { http_request_method: 'GET', http_route: '/x', http_response_status_code: 200 },
      value: 0.02,
      exemplarLabels: { trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16) },
    });
    const [om, prom] = await Promise.all([renderMetrics(registry, true), renderMetrics(registry, false)]);
    expect(om.contentType).toContain('openmetrics');
    expect(om.body).toContain(`# {trace_id="${'a'.repeat(32)}",span_id="${'b'.repeat(16)}"} 0.02`);
    expect(om.body).toContain('things_total 1');
    expect(om.body.endsWith('# EOF\n')).toBe(true);
    expect(prom.contentType).toContain('text/plain');
    expect(prom.body).not.toContain('trace_id');
    expect(prom.body).toContain('# TYPE things_total counter');
    expect(prom.body).toContain('things_total 1');
  });

  it('coalesces concurrent scrapes: one render per format for N concurrent requests, all answered; later requests render again', async () => {
    const registry = new Registry();
    let renders = 0;
    new Gauge({
      name: 'renders_seen',
      help: 'Collect callbacks run, one per registry render.',
      registers: [registry],
      collect() {
        renders++;
        this.set(renders);
      },
    });
    const prom = Array.from({ length: 20 }, () => renderMetrics(registry, false));
    const om = Array.from({ length: 20 }, () => renderMetrics(registry, true));
    const [promResults, omResults] = await Promise.all([Promise.all(prom), Promise.all(om)]);
    expect(renders).toBe(2);
    expect(new Set(promResults.map((r) => r.body)).size).toBe(1);
    expect(new Set(omResults.map((r) => r.body)).size).toBe(1);
    expect(promResults[0]!.contentType).toContain('text/plain');
    expect(omResults[0]!.contentType).toContain('openmetrics');
    expect(omResults[0]!.body.endsWith('# EOF\n')).toBe(true);
    const later = await renderMetrics(registry, false);
    expect(renders).toBe(3);
    expect(later.body).toContain('renders_seen 3');
  });
});
