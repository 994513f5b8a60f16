/**
 * The JUnit XML and Markdown writers generated into every k6 script (k6 scripts may not import
 * remote modules here, so no jslib). Plain JS with JSDoc types: the typecheck test checks it
 * against @types/k6. They read the script's constants SERVICE, PHASE, ENDPOINTS, SLO_THRESHOLDS
 * and SLO_TARGETS, and k6's handleSummary data.
 *
 * Written without JS template literals or regex escapes so this TypeScript template stays
 * readable: what is below is exactly what lands in the script.
 */
export const K6_REPORT_WRITERS = `/**
 * @typedef {{ type?: string, values: Record<string, number>, thresholds?: Record<string, { ok: boolean }> }} SummaryMetric
 * @typedef {{ metrics: Record<string, SummaryMetric | undefined>, state?: { testRunDurationMs?: number } }} SummaryData
 * @typedef {{ metric: string, threshold: string, state: 'passed' | 'failed' | 'no data', observed: string }} ThresholdResult
 */

/** Characters XML 1.0 cannot carry at all (control characters other than tab, LF, CR). */
const XML_INVALID = new RegExp('[' + String.fromCharCode(0) + '-' + String.fromCharCode(8) + String.fromCharCode(11, 12) + String.fromCharCode(14) + '-' + String.fromCharCode(31) + ']', 'g');

/** @param {string} text */
function xmlEscape(text) {
  /** @type {Record<string, string>} */
  const entities = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
  return text.replace(XML_INVALID, '').replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

/**
 * A Markdown table cell: HTML-significant characters as entities, Markdown syntax and pipes
 * escaped, line breaks as spaces.
 * @param {string} text
 */
function markdownCell(text) {
  /** @type {Record<string, string>} */
  const entities = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
  return text
    .replace(XML_INVALID, '')
    .replace(/[&<>]/g, (c) => entities[c] ?? c)
    .replace(/[|*_\`[\\]#~]/g, (c) => String.fromCharCode(92) + c)
    .replace(/[\\r\\n]+/g, ' ');
}

/** Four significant digits, no exponent for the magnitudes a load test sees. @param {number} value */
function formatNumber(value) {
  return String(Number(value.toPrecision(4)));
}

/** @param {number | undefined} ms */
function formatMs(ms) {
  return ms === undefined ? 'n/a' : formatNumber(ms) + ' ms';
}

/** @param {number | undefined} rate */
function formatPercent(rate) {
  return rate === undefined ? 'n/a' : formatNumber(rate * 100) + '%';
}

/**
 * Every SLO threshold with its outcome and the value k6 observed for the aggregation it tests
 * (\`p(95)\` of http_req_duration, \`rate\` of http_req_failed ...).
 * @param {SummaryData} data
 * @returns {ThresholdResult[]}
 */
function sloThresholdResults(data) {
  /** @type {ThresholdResult[]} */
  const results = [];
  for (const [metric, list] of Object.entries(SLO_THRESHOLDS)) {
    const summary = data.metrics[metric];
    for (const entry of list) {
      const threshold = typeof entry === 'string' ? entry : entry.threshold;
      const stat = (threshold.split(/[<>=!]/)[0] ?? '').trim();
      const value = summary?.values[stat];
      const outcome = summary?.thresholds?.[threshold];
      const unit = metric.startsWith('http_req_duration') ? ' ms' : '';
      results.push({
        metric,
        threshold,
        state: outcome === undefined || value === undefined ? 'no data' : outcome.ok ? 'passed' : 'failed',
        observed: value === undefined ? 'no data' : stat + ' = ' + formatNumber(value) + unit,
      });
    }
  }
  return results;
}

/**
 * JUnit XML: one test case per SLO threshold; a failed one carries the observed value against the
 * threshold, a threshold without samples is skipped.
 * @param {ThresholdResult[]} results
 * @param {number} seconds
 */
function junitXml(results, seconds) {
  const failures = results.filter((r) => r.state === 'failed').length;
  const skipped = results.filter((r) => r.state === 'no data').length;
  const suite = 'k6 ' + SERVICE + ' (phase ' + PHASE + ')';
  const counts = ' tests="' + results.length + '" failures="' + failures + '" errors="0" skipped="' + skipped + '" time="' + seconds.toFixed(3) + '"';
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites name="' + xmlEscape(suite) + '"' + counts + '>',
    '  <testsuite name="' + xmlEscape(suite) + '"' + counts + '>',
  ];
  for (const r of results) {
    const open = '    <testcase classname="' + xmlEscape(SERVICE + '.slo') + '" name="' + xmlEscape(r.metric + ': ' + r.threshold) + '" time="0"';
    if (r.state === 'passed') {
      lines.push(open + '/>');
      continue;
    }
    lines.push(open + '>');
    if (r.state === 'failed') {
      const message = 'observed ' + r.observed + ', threshold ' + r.threshold;
      lines.push('      <failure type="threshold" message="' + xmlEscape(message) + '">' + xmlEscape(r.metric + ': ' + message) + '</failure>');
    } else {
      lines.push('      <skipped message="' + xmlEscape('no samples for ' + r.metric) + '"/>');
    }
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\\n');
}

/**
 * Markdown for a pull request or a CI job summary: the verdict, then per endpoint the requests,
 * error rate and latency percentiles against the SLO, then every SLO threshold.
 * @param {SummaryData} data
 * @param {ThresholdResult[]} results
 */
function markdownSummary(data, results) {
  const failed = results.filter((r) => r.state === 'failed');
  const lines = ['## k6: ' + markdownCell(SERVICE) + ' (phase ' + PHASE + ')', ''];
  lines.push(failed.length === 0 ? '**All SLO thresholds passed.**' : '**SLO thresholds violated:** ' + failed.map((r) => markdownCell(r.metric + ': ' + r.threshold)).join(', '));
  lines.push('');
  const latencyStat = SLO_TARGETS.latency ? SLO_TARGETS.latency.stat : undefined;
  const extraStat = latencyStat !== undefined && latencyStat !== 'p(95)' && latencyStat !== 'p(99)' ? latencyStat : undefined;
  const header = ['Endpoint', 'Requests', 'Error rate', 'p95', 'p99'];
  if (extraStat) header.push(extraStat.replace(/[()]/g, ''));
  header.push('SLO');
  lines.push('| ' + header.join(' | ') + ' |');
  lines.push('|' + header.map((h, i) => (i === 0 || i === header.length - 1 ? ' --- |' : ' ---: |')).join(''));
  /** @param {string} label @param {string} suffix */
  const row = (label, suffix) => {
    const requests = data.metrics['http_reqs' + suffix]?.values['count'];
    const failedRate = data.metrics['http_req_failed' + suffix]?.values['rate'];
    const duration = data.metrics['http_req_duration' + suffix]?.values;
    const verdicts = results.filter((r) => r.metric === 'http_req_duration' + suffix || r.metric === 'http_req_failed' + suffix);
    const verdict = verdicts.length === 0 ? 'no SLO' : verdicts.some((r) => r.state === 'failed') ? 'violated' : verdicts.some((r) => r.state === 'no data') ? 'no data' : 'met';
    const cells = [label, requests === undefined ? 'n/a' : String(requests), formatPercent(failedRate), formatMs(duration?.['p(95)']), formatMs(duration?.['p(99)'])];
    if (extraStat) cells.push(formatMs(duration?.[extraStat]));
    cells.push(verdict);
    lines.push('| ' + cells.join(' | ') + ' |');
  };
  for (const ep of ENDPOINTS) row(markdownCell(ep.name), '{name:' + ep.name + '}');
  row('**all**', '');
  const targets = [];
  if (SLO_TARGETS.errorRate !== null) targets.push('error rate < ' + formatPercent(SLO_TARGETS.errorRate));
  if (SLO_TARGETS.latency) targets.push(SLO_TARGETS.latency.stat + ' < ' + formatMs(SLO_TARGETS.latency.ms));
  lines.push('', 'SLO: ' + (targets.length > 0 ? targets.join(', ') : 'none') + '. Failed requests are 5xx and network errors only.', '');
  lines.push('| Threshold | Observed | Result |', '| --- | --- | --- |');
  for (const r of results) lines.push('| ' + markdownCell(r.metric + ': ' + r.threshold) + ' | ' + markdownCell(r.observed) + ' | ' + r.state + ' |');
  lines.push('');
  return lines.join('\\n');
}
`;
