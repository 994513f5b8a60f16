import type { Comparison, ComparisonRow, RegressionAllowance } from './compare.js';

function formatNumber(v: number): string {
  return String(Number(v.toPrecision(4)));
}

function formatValue(row: ComparisonRow, v: number | undefined): string {
  if (v === undefined) return '-';
  if (row.measure === 'requests') return String(v);
  if (row.measure === 'error rate') return `${formatNumber(v * 100)}%`;
  return `${formatNumber(v)} ms`;
}

function formatChange(row: ComparisonRow): string {
  const { baseline: b, current: c } = row;
  if (b === undefined || c === undefined) return '-';
  if (row.measure === 'error rate') {
    const pp = (c - b) * 100;
    return `${pp >= 0 ? '+' : ''}${formatNumber(pp)} pp`;
  }
  if (b === 0) return c === 0 ? '0%' : '-';
  const pct = ((c - b) / b) * 100;
  return `${pct >= 0 ? '+' : ''}${formatNumber(pct)}%`;
}

/** The allowance in the words of the flags that set it. */
export function describeAllowance(a: RegressionAllowance): string {
  return `p95 +${formatNumber(a.p95 * 100)}%, p99 +${formatNumber(a.p99 * 100)}%, error rate +${formatNumber(a.errorRate * 100)} pp; latency increases up to ${formatNumber(a.minLatencyIncreaseMs)} ms ignored`;
}

/** Names come from a file: no control characters reach the terminal, no line is unbounded. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 100 ? `${clean.slice(0, 99)}…` : clean;
}

/** A plain-text table (fixed-width columns), one row per endpoint and measure. */
export function formatComparison(c: Comparison): string {
  const header = ['endpoint', 'measure', 'baseline', 'current', 'change', 'verdict'];
  const cells = c.rows.map((r) => [printable(r.endpoint), r.measure, formatValue(r, r.baseline), formatValue(r, r.current), formatChange(r), r.verdict]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (row: string[]): string =>
    row
      .map((cell, i) => (i >= 2 && i <= 4 ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}
