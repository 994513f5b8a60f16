/** Resolves when `work` settles or after `ms`, whichever is first; never rejects, never keeps the process alive. */
export function settleWithin(work: Promise<unknown>, ms: number): Promise<'done' | 'timeout' | 'failed'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), ms);
    timer.unref();
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
