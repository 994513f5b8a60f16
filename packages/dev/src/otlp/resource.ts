import type { Attributes } from '../model.js';

/** `service.name` of a resource; OTel SDKs default it to `unknown_service[:process]`. */
export function serviceOf(resource: Attributes): string {
  const name = resource['service.name'];
  return typeof name === 'string' && name !== '' ? name : 'unknown_service';
}
