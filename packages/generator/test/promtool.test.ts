import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAll } from '../src/generate.js';
import { exampleModel, requireTool, tempDir, variedModel } from './helpers.js';

const promtool = process.env['PROMTOOL'] ?? 'promtool';
const hasPromtool = spawnSync(promtool, ['--version'], { stdio: 'ignore' }).status === 0;

describe.each([
  ['example', exampleModel],
  ['varied', variedModel],
])('generated Prometheus rules with the real promtool (%s manifest)', (_, load) => {
  it('`promtool check rules` and `promtool test rules` pass', () => {
    if (!requireTool(hasPromtool, 'promtool')) return;
    const { dir, cleanup } = tempDir();
    try {
      const files = [...renderAll(load()).entries()].filter(([p]) => p.startsWith('collector/prometheus-rules/'));
      expect(files.length).toBeGreaterThan(0);
      for (const [rel, content] of files) {
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        writeFileSync(path.join(dir, rel), content);
      }
      const cwd = path.join(dir, 'collector/prometheus-rules');
      const rules = files.map(([p]) => path.basename(p)).filter((p) => !p.endsWith('.test.yaml'));
      const tests = files.map(([p]) => path.basename(p)).filter((p) => p.endsWith('.test.yaml'));
      const check = spawnSync(promtool, ['check', 'rules', ...rules], { cwd, encoding: 'utf8' });
      expect(check.status, check.stdout + check.stderr).toBe(0);
      const test = spawnSync(promtool, ['test', 'rules', ...tests], { cwd, encoding: 'utf8' });
      expect(test.status, test.stdout + test.stderr).toBe(0);
    } finally {
      cleanup();
    }
  });
});
