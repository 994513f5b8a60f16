#!/usr/bin/env node
import { runCliAsync } from './cli/run.js';

try {
  process.exitCode = await runCliAsync(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
} catch (e) {
  // A bug, not bad input (runCli maps every input and output problem to exit 2): one line, the
  // stack only on request, never a wall of text for the user.
  const debug = process.env['PLATFORM_DEBUG'] === '1';
  const message = e instanceof Error ? (debug ? (e.stack ?? e.message) : e.message.split('\n')[0]) : String(e);
  process.stderr.write(`platform: internal error: ${message}${debug ? '' : ' (PLATFORM_DEBUG=1 prints the stack)'}\n`);
  process.exitCode = 3;
}
