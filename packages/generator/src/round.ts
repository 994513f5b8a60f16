/** Rounds away float noise (0.1 + 0.2) without losing meaningful digits. */
export function round(x: number): number {
  return Number(x.toPrecision(12));
}
