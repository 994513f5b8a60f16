import { context, propagation, trace } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TelemetryConfig } from '../config/telemetry-config.js';
import { useRegisteredContextManager } from './active-context.js';
import { BoundedAttributeSpanProcessor } from './bounded-attribute-span-processor.js';
import { createPropagator } from './create-propagator.js';
import { createSampler } from './create-sampler.js';
import { PooledRandomIdGenerator } from './pooled-random-id-generator.js';
import { createSpanExporter } from './create-exporters.js';
import { createSecretParamMatcher } from '../redaction/redact-url.js';
import { requireFromDependency } from './require-from-dependency.js';
import { UrlRedactingSpanProcessor } from './url-redacting-span-processor.js';

export const MAX_SPAN_QUEUE_SIZE = 2048;
export const MAX_SPAN_EXPORT_BATCH_SIZE = 512;

interface ContextManagerModule {
  AsyncLocalStorageContextManager: new () => import('@opentelemetry/api').ContextManager;
}

/**
 * Global tracer provider, AsyncLocalStorage context manager and the propagation formats
 * OTEL_PROPAGATORS names (default W3C tracecontext + baggage). Spans are always created (so logs
 * carry trace ids); they are exported only when a traces endpoint is configured, through a
 * bounded BatchSpanProcessor.
 */
export function installTracing(config: TelemetryConfig, resource: Resource): BasicTracerProvider {
  const provider = createTracerProvider(config, resource);

  const { AsyncLocalStorageContextManager } = requireFromDependency('@opentelemetry/sdk-node')('@opentelemetry/context-async-hooks') as ContextManagerModule;
  // Enabled only once registered: an enabled AsyncLocalStorage nobody reads (another copy of the
  // SDK or the app registered a manager first) would still be copied onto every async resource.
  const manager = new AsyncLocalStorageContextManager();
  const registered = context.setGlobalContextManager(manager);
  if (registered) manager.enable();
  useRegisteredContextManager(registered ? manager : undefined);
  propagation.setGlobalPropagator(createPropagator(config.propagators));
  trace.setGlobalTracerProvider(provider);
  return provider;
}

/**
 * The tracer provider, not installed globally: redaction and attribute-bounding processors
 * first, then the bounded export queue when a traces endpoint is configured, then `extra`
 * (tests use it to keep finished spans).
 */
export function createTracerProvider(config: TelemetryConfig, resource: Resource, extra: readonly SpanProcessor[] = []): BasicTracerProvider {
  const limit = config.traces.attributeValueLengthLimit;
  const processors: SpanProcessor[] = [
    new UrlRedactingSpanProcessor(createSecretParamMatcher(config.redactQueryParams)),
    new BoundedAttributeSpanProcessor(limit),
  ];
  const endpoint = config.traces.endpoint;
  if (endpoint !== undefined) {
    processors.push(
      new BatchSpanProcessor(createSpanExporter({ ...config.traces, endpoint }), {
        maxQueueSize: MAX_SPAN_QUEUE_SIZE,
        maxExportBatchSize: MAX_SPAN_EXPORT_BATCH_SIZE,
        exportTimeoutMillis: config.traces.timeoutMs,
      }),
    );
  }
  processors.push(...extra);
  return new BasicTracerProvider({
    resource,
    sampler: createSampler(config.traces.sampler, config.traces.samplerArg),
    idGenerator: new PooledRandomIdGenerator(),
    spanLimits: { attributeValueLengthLimit: limit },
    spanProcessors: processors,
  });
}
