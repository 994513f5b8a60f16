import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createInstalledPackageCheck, isResolvableFrom } from './require-from-dependency.js';

const root = mkdtempSync(path.join(tmpdir(), 'platform-installed-'));
const app = path.join(root, 'workspace', 'app');
const pkg = (dir: string, name: string): void => {
  mkdirSync(path.join(dir, 'node_modules', name), { recursive: true });
  writeFileSync(path.join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
  writeFileSync(path.join(dir, 'node_modules', name, 'index.js'), '');
};
pkg(app, 'express');
pkg(app, '@redis/client');
pkg(root, 'pg'); // hoisted to an ancestor, as workspaces do
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('createInstalledPackageCheck', () => {
  it('agrees with a real resolve for present and absent packages, scoped and hoisted ones included', () => {
    const check = createInstalledPackageCheck(app);
    for (const name of ['express', '@redis/client', 'pg', 'mysql2', '@redis/other', '@nestjs/core', 'koa']) {
      expect({ name, present: check(name) }).toEqual({ name, present: isResolvableFrom(app, name) });
    }
    expect(check('pg')).toBe(true);
    expect(check('@redis/other')).toBe(false);
  });
});
