import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The runtime export list of @platform/dev, written out: a new public name changes this list,
// src/index.ts and the README's Library section together.
const PUBLIC_API = ['runDevCli', 'startDevServer'];

describe('@platform/dev public API', () => {
  it('exports exactly the listed names', async () => {
    expect(Object.keys(await import('./index.js')).sort()).toEqual(PUBLIC_API);
  });

  it('the README documents every exported name', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const name of PUBLIC_API) expect(readme, name).toContain(`\`${name}\``);
  });
});
