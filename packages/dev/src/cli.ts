/**
 * `platform dev` flags to a running DevServer. Called by the generator's CLI (which owns the
 * manifest loading and its file:line:col errors); resolves with the exit code once stopped.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_OTLP_ADDRESS, DEFAULT_UI_ADDRESS, startDevServer, type DevServer, type ListenAddress } from './dev-server.js';
import type { SloManifest } from './slo/slo-manifest.js';
import { DEFAULT_CAPS, type StoreCaps } from './store/telemetry-store.js';

export interface DevCliIo {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Loads and validates a manifest; throws the caller's own error type on bad input. */
  loadManifest(file: string): SloManifest;
  /** Stops the server (default: SIGINT or SIGTERM). */
  readonly stop?: AbortSignal;
  /** Told once the server listens (tests read the URLs from here). */
  onListening?(server: DevServer): void;
}

export class DevUsageError extends Error {}

export const DEV_HELP = `Usage: platform dev [--manifest FILE] [--port [HOST:]PORT] [--ui [HOST:]PORT] [options]

A local OTLP/HTTP receiver (protobuf and JSON, gzip; traces, logs, metrics) with a web UI:
traces with their waterfall and logs, a live log tail, per-route RED and the manifest's SLOs.
Everything is held in memory in bounded buffers; nothing is written to disk.
  --manifest FILE    manifest whose SLOs to show (default: platform.yaml when it exists)
  --port [HOST:]PORT OTLP/HTTP receiver (default ${DEFAULT_OTLP_ADDRESS.host}:${DEFAULT_OTLP_ADDRESS.port})
  --ui [HOST:]PORT   web UI (default ${DEFAULT_UI_ADDRESS.host}:${DEFAULT_UI_ADDRESS.port})
  --max-traces N     traces held (default ${DEFAULT_CAPS.maxTraces}); oldest whole traces are dropped first
  --max-spans N      spans held across all traces (default ${DEFAULT_CAPS.maxSpans})
  --max-logs N       log records held (default ${DEFAULT_CAPS.maxLogs})
  --max-body-mb N    largest request body, also after gunzip (default ${DEFAULT_MAX_BODY_BYTES / 1024 / 1024})
  --forward URL      also send every accepted export to this OTLP/HTTP endpoint (bounded queue, never blocks)
Both servers accept only requests whose Host is localhost or an IP literal on their port and
refuse cross-origin browser requests (DNS-rebinding safe). Stop with Ctrl-C.`;

interface DevArgs {
  manifest: string | undefined;
  otlp: ListenAddress;
  ui: ListenAddress;
  caps: { -readonly [K in keyof StoreCaps]?: StoreCaps[K] };
  maxBodyBytes: number;
  forward: string | undefined;
  help: boolean;
}

function address(text: string, flag: string, defaultHost: string): ListenAddress {
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[^:]+):)?([0-9]{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65_535) throw new DevUsageError(`${flag} needs [HOST:]PORT, got "${text}"`);
  const host = m[1] ? m[1].replace(/^\[|\]$/g, '') : defaultHost;
  return { host, port };
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new DevUsageError(`${flag} needs a positive integer, got "${text}"`);
  return n;
}

export function parseDevArgs(argv: readonly string[]): DevArgs {
  const args: DevArgs = {
    manifest: undefined,
    otlp: DEFAULT_OTLP_ADDRESS,
    ui: DEFAULT_UI_ADDRESS,
    caps: {},
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    forward: undefined,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq > 0 && a.startsWith('--')) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new DevUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        args.help = true;
        break;
      case '--manifest':
      case '-m':
        args.manifest = value();
        break;
      case '--port':
        args.otlp = address(value(), '--port', DEFAULT_OTLP_ADDRESS.host);
        break;
      case '--ui':
        args.ui = address(value(), '--ui', DEFAULT_UI_ADDRESS.host);
        break;
      case '--max-traces':
        args.caps.maxTraces = positiveInt(value(), flag);
        break;
      case '--max-spans':
        args.caps.maxSpans = positiveInt(value(), flag);
        break;
      case '--max-logs':
        args.caps.maxLogs = positiveInt(value(), flag);
        break;
      case '--max-body-mb':
        args.maxBodyBytes = positiveInt(value(), flag) * 1024 * 1024;
        break;
      case '--forward': {
        const v = value();
        if (!/^https?:\/\/[^\s/]+/.test(v)) throw new DevUsageError(`--forward needs an http(s)://host:port URL, got "${v}"`);
        args.forward = v;
        break;
      }
      default:
        throw new DevUsageError(a.startsWith('-') ? `unknown option ${a}` : `unexpected argument ${a}`);
    }
  }
  return args;
}

const LOOPBACK = /^(127\.[0-9.]+|::1|localhost)$/;

/** Runs until `io.stop` aborts (default: SIGINT/SIGTERM); 0 on a clean stop, 2 on bad usage. */
export async function runDevCli(argv: readonly string[], io: DevCliIo): Promise<number> {
  let args: DevArgs;
  try {
    args = parseDevArgs(argv);
  } catch (error) {
    if (error instanceof DevUsageError) {
      io.stderr(`platform dev: ${error.message}\n${DEV_HELP}\n`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    io.stdout(`${DEV_HELP}\n`);
    return 0;
  }
  const manifestFile = args.manifest ?? (existsSync(path.resolve(io.cwd, 'platform.yaml')) ? 'platform.yaml' : undefined);
  const slos = manifestFile === undefined ? undefined : io.loadManifest(manifestFile);
  let server: DevServer;
  try {
    server = await startDevServer({
      otlp: args.otlp,
      ui: args.ui,
      caps: args.caps,
      maxBodyBytes: args.maxBodyBytes,
      ...(args.forward ? { forward: args.forward } : {}),
      ...(slos ? { slos } : {}),
      ...(manifestFile ? { manifestFile } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.stderr(
      `platform dev: ${code === 'EADDRINUSE' ? `port in use (${(error as Error).message}); pick another with --port / --ui` : (error as Error).message}\n`,
    );
    return 2;
  }
  io.stdout(`platform dev: open ${server.uiUrl}\n`);
  io.stdout(`  OTLP/HTTP receiver ${server.otlpUrl} (set OTEL_EXPORTER_OTLP_ENDPOINT=${server.otlpUrl})\n`);
  io.stdout(
    `  ${slos ? `SLOs from ${manifestFile} (${slos.services.length} service${slos.services.length === 1 ? '' : 's'})` : 'no manifest: SLO panels off (--manifest FILE)'}; holding up to ${server.store.caps.maxTraces} traces, ${server.store.caps.maxSpans} spans, ${server.store.caps.maxLogs} log records${args.forward ? `; forwarding to ${args.forward}` : ''}\n`,
  );
  for (const [what, a] of [
    ['OTLP receiver', args.otlp],
    ['UI', args.ui],
  ] as const) {
    if (!LOOPBACK.test(a.host)) io.stderr(`platform dev: warning: the ${what} listens on ${a.host}, reachable from other machines; it has no authentication\n`);
  }
  io.onListening?.(server);
  await new Promise<void>((resolve) => {
    if (io.stop) {
      if (io.stop.aborted) resolve();
      else io.stop.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    const onSignal = (): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await server.close();
  return 0;
}
