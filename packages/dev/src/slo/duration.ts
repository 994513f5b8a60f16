const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Prometheus-style `5m`, `1h`, `3d` to milliseconds. */
export function durationMs(text: string): number {
  const m = /^([0-9]+)([smhd])$/.exec(text);
  if (!m) throw new RangeError(`not a duration: ${text}`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}
