import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';

/** What spans and log records share for grouping: the resource and scope objects they were made under. */
export interface ScopedItem {
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
}

/**
 * Items grouped by resource, then by instrumentation scope, both by object identity and in order
 * of first appearance: the ResourceSpans/ScopeSpans (ResourceLogs/ScopeLogs) nesting of an OTLP
 * request, in the order the OTel transformer writes it.
 */
export function groupByResourceAndScope<T extends ScopedItem>(items: readonly T[]): Map<Resource, Map<InstrumentationScope, T[]>> {
  const byResource = new Map<Resource, Map<InstrumentationScope, T[]>>();
  for (const item of items) {
    let byScope = byResource.get(item.resource);
    if (byScope === undefined) {
      byScope = new Map();
      byResource.set(item.resource, byScope);
    }
    const group = byScope.get(item.instrumentationScope);
    if (group === undefined) byScope.set(item.instrumentationScope, [item]);
    else group.push(item);
  }
  return byResource;
}
