import { createRequire } from 'node:module';
import path from 'node:path';

const ownRequire = createRequire(import.meta.url);
const requireCache = new Map<string, NodeJS.Require>();

/**
 * A `require` that resolves from the install location of one of our own dependencies. The
 * individual instrumentation packages, resource detectors and the async-hooks context manager
 * are dependencies of `@opentelemetry/auto-instrumentations-node` / `@opentelemetry/sdk-node`;
 * resolving from there finds them even when the package manager does not hoist them, without
 * loading those packages' heavy entry points.
 */
export function requireFromDependency(dependency: string): NodeJS.Require {
  let req = requireCache.get(dependency);
  if (!req) {
    req = createRequire(ownRequire.resolve(dependency));
    requireCache.set(dependency, req);
  }
  return req;
}

/** True when `specifier` can be resolved by the application rooted at `appDir`. */
export function isResolvableFrom(appDir: string, specifier: string): boolean {
  const req = createRequire(path.join(appDir, 'noop.js'));
  try {
    req.resolve(specifier);
    return true;
  } catch {
    try {
      req.resolve(`${specifier}/package.json`);
      return true;
    } catch {
      return false;
    }
  }
}
