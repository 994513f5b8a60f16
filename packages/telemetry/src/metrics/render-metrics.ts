import { Registry } from 'prom-client';

export interface RenderedMetrics {
  contentType: string;
  body: string;
}

/** True when the Accept header asks for OpenMetrics (Prometheus sends this when exemplar storage is on). */
export function wantsOpenMetrics(accept: string | string[] | undefined): boolean {
  const value = Array.isArray(accept) ? accept.join(',') : accept;
  return value !== undefined && value.includes('application/openmetrics-text');
}

let queue: Promise<unknown> = Promise.resolve();

/** Renders in flight or queued, per registry and format: concurrent scrapes share them. */
const pending = new WeakMap<Registry, { prometheus?: Promise<RenderedMetrics>; openMetrics?: Promise<RenderedMetrics> }>();

/**
 * Renders the registry as Prometheus text 0.0.4 or OpenMetrics 1.0 (with exemplars).
 *
 * Concurrent scrapes are coalesced: a request for a format that is already being rendered (or
 * waiting to be) gets that render's result, so N scrapers arriving together cost one render
 * per format, not N (a render walks every series; with a large registry, eight concurrent
 * scrapers multiplied that into the app's p99). A request arriving after a render settled
 * starts a new one.
 *
 * prom-client ties the format to the registry, so OpenMetrics is rendered through a view
 * (an object inheriting from the registry with its own content type). prom-client also
 * renames counters in place while rendering OpenMetrics (`x_total` -> `x`); renders are
 * serialised and counter names restored before a Prometheus render, so concurrent scrapes of
 * both formats never see each other's names.
 */
export function renderMetrics(registry: Registry, openMetrics: boolean): Promise<RenderedMetrics> {
  let inFlight = pending.get(registry);
  if (inFlight === undefined) {
    inFlight = {};
    pending.set(registry, inFlight);
  }
  const slot = openMetrics ? 'openMetrics' : 'prometheus';
  const shared = inFlight[slot];
  if (shared !== undefined) return shared;

  const run = async (): Promise<RenderedMetrics> => {
    if (openMetrics) {
      const view = Object.create(registry) as Registry & { _contentType: string };
      view._contentType = Registry.OPENMETRICS_CONTENT_TYPE;
      return { contentType: Registry.OPENMETRICS_CONTENT_TYPE, body: await view.metrics() };
    }
    restoreCounterNames(registry);
    return { contentType: Registry.PROMETHEUS_CONTENT_TYPE, body: await registry.metrics() };
  };
  const result = queue.then(run, run);
  const slots = inFlight;
  slots[slot] = result;
  const settled = (): void => {
    if (slots[slot] === result) slots[slot] = undefined;
  };
  queue = result.then(settled, settled);
  return result;
}

function restoreCounterNames(registry: Registry): void {
  for (const metric of registry.getMetricsAsArray()) {
    const m = metric as unknown as { name: string; type?: string };
    if (m.type === 'counter' && !m.name.endsWith('_total') && (registry.getSingleMetric(`${m.name}_total`) as unknown) === metric) {
      m.name = `${m.name}_total`;
    }
  }
}
