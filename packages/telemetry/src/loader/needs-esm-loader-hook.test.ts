import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { needsEsmLoaderHook } from './needs-esm-loader-hook.js';

const files =
  (tree: Record<string, string>) =>
  (file: string): string => {
    const hit = tree[path.resolve(file)];
    if (hit === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return hit;
  };
const entry = (script: string | undefined, execArgv: string[] = [], override?: string) => ({ script, execArgv, override });

describe('needsEsmLoaderHook', () => {
  const tree = files({
    '/srv/esm/package.json': '{"type":"module"}',
    '/srv/cjs/package.json': '{"name":"cjs"}',
    '/srv/bad/package.json': '{not json',
  });

  it('hooks ESM entry points: .mjs, .js under "type": "module" (nearest package.json wins), --input-type=module', () => {
    expect(needsEsmLoaderHook(entry('/srv/cjs/server.mjs'), tree)).toBe(true);
    expect(needsEsmLoaderHook(entry('/srv/esm/dist/server.js'), tree)).toBe(true);
    expect(needsEsmLoaderHook(entry(undefined, ['--input-type=module']), tree)).toBe(true);
  });

  it('does not hook CommonJS entry points or plain -e code', () => {
    expect(needsEsmLoaderHook(entry('/srv/cjs/server.js'), tree)).toBe(false);
    expect(needsEsmLoaderHook(entry('/srv/esm/server.cjs'), tree)).toBe(false);
    expect(needsEsmLoaderHook(entry('/nowhere/server.js'), tree)).toBe(false);
    expect(needsEsmLoaderHook(entry(undefined), tree)).toBe(false);
  });

  it('hooks when it cannot tell, and follows PLATFORM_ESM_LOADER_HOOK', () => {
    expect(needsEsmLoaderHook(entry('/srv/bad/server.js'), tree)).toBe(true);
    expect(needsEsmLoaderHook(entry('/srv/cjs/server.js', [], 'always'), tree)).toBe(true);
    expect(needsEsmLoaderHook(entry('/srv/esm/server.js', [], 'never'), tree)).toBe(false);
  });
});
