#!/usr/bin/env node
import { runCliAsync } from './cli/run.js';

try {
  process.exitCode = await runCliAsync(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
} catch (e) {
  process.stderr.write(`platform: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 3;
}
