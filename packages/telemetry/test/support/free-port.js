// @ts-check
// Plain JavaScript (JSDoc-typed) so the benchmarks (bench/, run by node without a TypeScript
// loader) and the tests share this one module.
import net from 'node:net';

/**
 * A TCP port that was free on 127.0.0.1 a moment ago.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Polls `check` until it returns a truthy value or `timeoutMs` passes.
 * @template T
 * @param {() => T | Promise<T>} check
 * @param {number} [timeoutMs]
 * @param {number} [intervalMs]
 * @returns {Promise<NonNullable<T>>}
 */
export async function waitFor(check, timeoutMs = 10_000, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  /** @type {unknown} */
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v) return /** @type {NonNullable<T>} */ (v);
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`waitFor timed out after ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
