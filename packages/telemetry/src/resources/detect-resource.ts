import {
  detectResources,
  hostDetector,
  osDetector,
  processDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
  type Resource,
  type ResourceDetector,
} from '@opentelemetry/resources';
import type { TelemetryConfig } from '../config/telemetry-config.js';
import { requireFromDependency } from '../tracing/require-from-dependency.js';

/** Optional detector packages (dependencies of auto-instrumentations-node), loaded only when asked for. */
const DETECTOR_PACKAGES: Record<string, string> = {
  container: '@opentelemetry/resource-detector-container',
  aws: '@opentelemetry/resource-detector-aws',
  gcp: '@opentelemetry/resource-detector-gcp',
  azure: '@opentelemetry/resource-detector-azure',
  alibaba: '@opentelemetry/resource-detector-alibaba-cloud',
};

function loadDetectors(name: string, onError: (msg: string) => void): ResourceDetector[] {
  switch (name) {
    case 'env':
      return []; // OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME are parsed by resolveConfig
    case 'host':
      return [hostDetector];
    case 'os':
      return [osDetector];
    case 'process':
      return [processDetector];
    case 'serviceinstance':
      return [serviceInstanceIdDetector];
  }
  const pkg = DETECTOR_PACKAGES[name];
  if (!pkg) return [];
  try {
    const mod = requireFromDependency('@opentelemetry/auto-instrumentations-node')(pkg) as Record<string, unknown>;
    return Object.entries(mod)
      .filter(([key, value]) => key.endsWith('Detector') && typeof (value as ResourceDetector)?.detect === 'function')
      .map(([, value]) => value as ResourceDetector);
  } catch (error) {
    onError(`resource detector "${name}" unavailable: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}

/**
 * The process resource: configured attributes (service.*, deployment.environment.name,
 * OTEL_RESOURCE_ATTRIBUTES, options) over the detected ones. Default detectors read only
 * local state; cloud detectors (network calls to metadata services) run only when configured.
 */
export function detectResource(config: TelemetryConfig, onError: (msg: string) => void): Resource {
  const detectors = config.resourceDetectors.flatMap((d) => loadDetectors(d, onError));
  const detected = detectResources({ detectors });
  const configured = resourceFromAttributes({
    ...config.resourceAttributes,
    'service.name': config.serviceName,
    ...(config.serviceVersion ? { 'service.version': config.serviceVersion } : {}),
    'deployment.environment.name': config.environment,
    'telemetry.distro.name': '@platform/telemetry',
  });
  return detected.merge(configured);
}
