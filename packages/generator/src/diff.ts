/** A small unified diff (LCS on lines) for --check output; falls back to the first difference on huge files. */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const header = `--- a/${path} (on disk)\n+++ b/${path} (generated)\n`;
  if (a.length * b.length > 16_000_000) {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return `${header}@@ first difference at line ${i + 1} @@\n-${a[i] ?? ''}\n+${b[i] ?? ''}\n`;
  }
  const n = a.length;
  const m = b.length;
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * (m + 1) + j] =
        a[i] === b[j] ? (lcs[(i + 1) * (m + 1) + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * (m + 1) + j] ?? 0, lcs[i * (m + 1) + j + 1] ?? 0);
  type Op = { t: ' ' | '-' | '+'; line: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ t: ' ', line: a[i++] ?? '', ai: i, bi: ++j });
    else if (j < m && (i >= n || (lcs[i * (m + 1) + j + 1] ?? 0) >= (lcs[(i + 1) * (m + 1) + j] ?? 0))) ops.push({ t: '+', line: b[j++] ?? '', ai: i, bi: j });
    else ops.push({ t: '-', line: a[i++] ?? '', ai: i, bi: j });
  }
  const out: string[] = [];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]?.t === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    while (end < ops.length) {
      let run = 0;
      while (end + run < ops.length && ops[end + run]?.t === ' ') run++;
      if (end + run >= ops.length || run > context * 2) {
        end = Math.min(ops.length, end + Math.min(run, context));
        break;
      }
      end += run + 1;
    }
    const hunk = ops.slice(start, end);
    const first = hunk[0];
    out.push(`@@ -${first ? first.ai : 0} +${first ? first.bi : 0} @@`);
    for (const op of hunk) out.push(`${op.t}${op.line}`);
    k = end;
  }
  return header + out.join('\n') + '\n';
}
