/**
 * Runs the real `prometheus` binary against test targets: temp config (scrape_interval 1s),
 * temp TSDB, exemplar storage on, 127.0.0.1 only. Also wraps `promtool check metrics`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from './free-port.js';

function binaryAvailable(bin: string): boolean {
  const r = spawnSync(bin, ['--version'], { stdio: 'ignore', timeout: 10_000 });
  return r.status === 0;
}

export function prometheusAvailable(): boolean {
  return binaryAvailable('prometheus');
}

export function promtoolAvailable(): boolean {
  return binaryAvailable('promtool');
}

/**
 * Reason to skip a live Prometheus test, or undefined to run it. On CI (CI=true) a missing
 * binary is an error, not a skip.
 */
export function prometheusSkipReason(): string | undefined {
  if (prometheusAvailable() && promtoolAvailable()) return undefined;
  const reason = 'prometheus/promtool binaries not found on PATH (install the Debian package "prometheus")';
  if (process.env.CI === 'true') throw new Error(`${reason}; required on CI`);
  console.warn(`skipping live Prometheus tests: ${reason}`);
  return reason;
}

/** Runs `promtool check metrics` on the exposition text; problems lists every reported line. */
export function promtoolCheckMetrics(text: string): { ok: boolean; problems: string[] } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 15_000 });
  const problems = `${r.stdout ?? ''}${r.stderr ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return { ok: r.status === 0, problems };
}

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PrometheusServer {
  readonly url: string;
  query(promql: string): Promise<PromSample[]>;
  queryExemplars(
    promql: string,
    startSec: number,
    endSec: number,
  ): Promise<Array<{ seriesLabels: Record<string, string>; exemplars: Array<{ labels: Record<string, string> }> }>>;
  targetsUp(): Promise<boolean>;
  /** Any GET on the HTTP API (`/api/v1/...`), returning `data`. */
  api<T>(pathAndQuery: string): Promise<T>;
  stop(): Promise<void>;
}

/** GET over HTTPS with a client certificate (the API of a Prometheus that requires mTLS). */
function httpsGet(url: string, tls: { caFile: string; certFile: string; keyFile: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca: readFileSync(tls.caFile), cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile), timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

export async function startPrometheus(opts: {
  job: string;
  /** Scrape targets; none: Prometheus only receives (remote write). */
  targets: string[];
  metricsPath?: string;
  /** Rule files to load (evaluated every second). */
  ruleFiles?: string[];
  /** Listen on this port (default: a free one). */
  port?: number;
  /** Accept remote write on /api/v1/write. */
  remoteWriteReceiver?: boolean;
  /** Serve HTTPS and require client certificates signed by caFile; the API is then called with `client`. */
  tls?: { caFile: string; certFile: string; keyFile: string; client: { certFile: string; keyFile: string } };
}): Promise<PrometheusServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'prom-test-'));
  const port = opts.port ?? (await freePort());
  const configFile = path.join(dir, 'prometheus.yml');
  writeFileSync(
    configFile,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      ...(opts.ruleFiles?.length ? ['rule_files:', ...opts.ruleFiles.map((f) => `  - ${JSON.stringify(f)}`)] : []),
      ...(opts.targets.length > 0
        ? [
            'scrape_configs:',
            `  - job_name: ${JSON.stringify(opts.job)}`,
            `    metrics_path: ${JSON.stringify(opts.metricsPath ?? '/metrics')}`,
            '    static_configs:',
            `      - targets: [${opts.targets.map((t) => JSON.stringify(t)).join(', ')}]`,
            // The generated SLO rules read only series a scraper labelled as trusted (see TELEMETRY_SOURCE).
            '        labels: { telemetry_source: scrape }',
          ]
        : []),
      '',
    ].join('\n'),
  );
  const webConfigFile = path.join(dir, 'web.yml');
  if (opts.tls) {
    writeFileSync(
      webConfigFile,
      [
        'tls_server_config:',
        `  cert_file: ${JSON.stringify(opts.tls.certFile)}`,
        `  key_file: ${JSON.stringify(opts.tls.keyFile)}`,
        '  client_auth_type: RequireAndVerifyClientCert',
        `  client_ca_file: ${JSON.stringify(opts.tls.caFile)}`,
        '',
      ].join('\n'),
    );
  }
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--enable-feature=exemplar-storage',
      '--log.level=warn',
      ...(opts.remoteWriteReceiver ? ['--web.enable-remote-write-receiver'] : []),
      ...(opts.tls ? [`--web.config.file=${webConfigFile}`] : []),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-10_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const clientTls = opts.tls ? { caFile: opts.tls.caFile, ...opts.tls.client } : undefined;
  const get = async (target: string): Promise<{ status: number; body: string }> => {
    if (clientTls) return httpsGet(target, clientTls);
    const res = await fetch(target);
    return { status: res.status, body: await res.text() };
  };

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`);
      const res = await get(`${url}/-/ready`).catch(() => undefined);
      return res?.status === 200;
    }, 20_000);
  } catch (error) {
    await stop();
    throw error;
  }

  const api = async <T>(pathAndQuery: string): Promise<T> => {
    const res = await get(`${url}${pathAndQuery}`);
    const body = JSON.parse(res.body) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus API error: ${body.error ?? res.status}`);
    return body.data;
  };

  return {
    url,
    query: async (promql) => (await api<{ result: PromSample[] }>(`/api/v1/query?query=${encodeURIComponent(promql)}`)).result,
    queryExemplars: (promql, start, end) => api(`/api/v1/query_exemplars?query=${encodeURIComponent(promql)}&start=${start}&end=${end}`),
    api,
    targetsUp: async () => {
      const data = await api<{ activeTargets: Array<{ health: string }> }>('/api/v1/targets');
      return data.activeTargets.length > 0 && data.activeTargets.every((t) => t.health === 'up');
    },
    stop,
  };
}
