import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { PropagatorName } from '../config/telemetry-config.js';
import { requireFromDependency } from './require-from-dependency.js';

interface B3Module {
  B3Propagator: new (config?: { injectEncoding?: number }) => TextMapPropagator;
  B3InjectEncoding: { SINGLE_HEADER: number; MULTI_HEADER: number };
}
interface JaegerModule {
  JaegerPropagator: new () => TextMapPropagator;
}

/**
 * The propagator OTEL_PROPAGATORS names: each format extracts and injects in the given order (the
 * last one to extract a span context wins, as in upstream's SDK). B3 and Jaeger come from the
 * packages `@opentelemetry/sdk-node` depends on, loaded only when named.
 */
export function createPropagator(names: readonly PropagatorName[]): TextMapPropagator {
  const sdkNode = requireFromDependency('@opentelemetry/sdk-node');
  const propagators = names.map((name): TextMapPropagator => {
    switch (name) {
      case 'tracecontext':
        return new W3CTraceContextPropagator();
      case 'baggage':
        return new W3CBaggagePropagator();
      case 'b3':
      case 'b3multi': {
        const { B3Propagator, B3InjectEncoding } = sdkNode('@opentelemetry/propagator-b3') as B3Module;
        return new B3Propagator({ injectEncoding: name === 'b3' ? B3InjectEncoding.SINGLE_HEADER : B3InjectEncoding.MULTI_HEADER });
      }
      case 'jaeger': {
        const { JaegerPropagator } = sdkNode('@opentelemetry/propagator-jaeger') as JaegerModule;
        return new JaegerPropagator();
      }
    }
  });
  return new CompositePropagator({ propagators });
}
