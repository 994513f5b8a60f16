/**
 * Resolves when `work` settles or after `ms`, whichever is first; never rejects. By default it
 * never keeps the process alive; with `keepAlive` it holds the process open until then (at most
 * `ms`), for shutdown work whose own I/O does not (the OTLP export sockets are unref'd).
 */
export function settleWithin(work: Promise<unknown>, ms: number, keepAlive = false): Promise<'done' | 'timeout' | 'failed'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), ms);
    if (!keepAlive) timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve('done');
      },
      () => {
        clearTimeout(timer);
        resolve('failed');
      },
    );
  });
}
