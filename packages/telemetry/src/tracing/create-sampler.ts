import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import type { SamplerName } from '../config/telemetry-config.js';

/** Samplers made by createSampler: the SDK's own, which neither read nor keep a span's attributes. */
const attributeBlind = new WeakSet<Sampler>();

export function createSampler(name: SamplerName, ratio: number): Sampler {
  const sampler = samplerNamed(name, ratio);
  attributeBlind.add(sampler);
  return sampler;
}

/**
 * Whether `sampler` came from createSampler, so it neither reads, changes nor keeps the attributes
 * it is given (server-span.ts then lets a span keep its attribute object instead of copying it).
 */
export function ignoresAttributes(sampler: Sampler): boolean {
  return attributeBlind.has(sampler);
}

function samplerNamed(name: SamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}
