// @ts-check
/** Median of a non-empty sample. */
export function median(values) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Spread as (max - min) / median, in percent: how far apart the rounds were. */
export function spreadPercent(values) {
  if (values.length < 2) return 0;
  const m = median(values);
  if (!Number.isFinite(m) || m === 0) return 0;
  return ((Math.max(...values) - Math.min(...values)) / Math.abs(m)) * 100;
}

/** `{ median, spread, samples }` for one measured quantity. */
export function summarize(values) {
  return { median: median(values), spreadPct: Math.round(spreadPercent(values) * 10) / 10, samples: values.length };
}
