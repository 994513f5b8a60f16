import { readdirSync } from 'node:fs';
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

/**
 * A cheap pre-check for isResolvableFrom: false when no folder Node would search from `appDir`
 * (its node_modules chain, NODE_PATH, the global folders) has an entry named like the
 * package. A failed resolve stats every one of those folders with every extension, and the
 * instrumentation table has ~35 targets of which an app has a handful; listing each folder
 * once costs a few directory reads instead. Under Yarn Plug'n'Play (no node_modules) it
 * answers true and leaves the decision to the real resolve.
 */
export function createInstalledPackageCheck(appDir: string): (specifier: string) => boolean {
  if ((process.versions as Record<string, string | undefined>).pnp !== undefined) return () => true;
  const searchPaths = createRequire(path.join(appDir, 'noop.js')).resolve.paths('x') ?? [];
  const listings = new Map<string, ReadonlySet<string>>();
  const list = (dir: string): ReadonlySet<string> => {
    let names = listings.get(dir);
    if (names === undefined) {
      try {
        names = new Set(readdirSync(dir));
      } catch {
        names = new Set();
      }
      listings.set(dir, names);
    }
    return names;
  };
  return (specifier: string): boolean => {
    const parts = specifier.split('/');
    const scoped = specifier.startsWith('@');
    const first = parts[0] ?? '';
    return searchPaths.some((dir) => {
      if (!list(dir).has(first)) return false;
      return !scoped || list(path.join(dir, first)).has(parts[1] ?? '');
    });
  };
}
