/**
 * `platform dev` as a library: the OTLP/HTTP receiver and the UI server, each on its own
 * 127.0.0.1 port by default, sharing one bounded TelemetryStore.
 */
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Forwarder } from './forward/forwarder.js';
import { createUiHandler } from './http/api-handler.js';
import { checkHostAndOrigin } from './http/host-guard.js';
import { LiveEvents } from './http/live-events.js';
import { createOtlpHandler, type ReceiverCounters } from './http/otlp-handler.js';
import { loadUiAssets, UI_DIR } from './http/ui-assets.js';
import type { SloManifest } from './slo/slo-manifest.js';
import { DEFAULT_CAPS, TelemetryStore, type StoreCaps } from './store/telemetry-store.js';

export interface ListenAddress {
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
}

export interface DevServerOptions {
  readonly otlp?: ListenAddress;
  readonly ui?: ListenAddress;
  readonly caps?: Partial<StoreCaps>;
  /** Largest accepted request body, on the wire and after gunzip. */
  readonly maxBodyBytes?: number;
  /** Base URL of a collector to tee every accepted export to. */
  readonly forward?: string;
  /** The resolved manifest (generator `loadManifest`), for the SLO views. */
  readonly slos?: SloManifest;
  readonly manifestFile?: string;
  /** Folder of the built UI (default: this package's dist/ui). */
  readonly uiDir?: string;
}

export interface DevServer {
  readonly otlpUrl: string;
  readonly uiUrl: string;
  readonly store: TelemetryStore;
  close(): Promise<void>;
}

export const DEFAULT_OTLP_ADDRESS: ListenAddress = { host: '127.0.0.1', port: 4318 };
export const DEFAULT_UI_ADDRESS: ListenAddress = { host: '127.0.0.1', port: 4000 };
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const assets = loadUiAssets(options.uiDir ?? UI_DIR);
  const store = new TelemetryStore({ ...DEFAULT_CAPS, ...options.caps });
  const forwarder = options.forward ? new Forwarder({ endpoint: options.forward }) : undefined;
  const counters: ReceiverCounters = { accepted: 0, rejected: 0 };
  const live = new LiveEvents(store);
  const otlpAddress = options.otlp ?? DEFAULT_OTLP_ADDRESS;
  const uiAddress = options.ui ?? DEFAULT_UI_ADDRESS;

  let otlpPort = 0;
  let uiPort = 0;
  const handleOtlp = createOtlpHandler({ store, forwarder, maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES }, counters);
  const otlpServer = http.createServer((req, res) => {
    const verdict = checkHostAndOrigin(req.headers, otlpPort);
    if (!verdict.ok) {
      req.resume();
      counters.rejected++;
      res.writeHead(403, { 'content-type': 'text/plain' }).end(`forbidden: ${verdict.reason}\n`);
      return;
    }
    handleOtlp(req, res);
  });
  const uiServer = http.createServer(
    createUiHandler({
      store,
      slos: options.slos,
      manifestFile: options.manifestFile,
      assets,
      live,
      counters,
      forwarder,
      otlpUrl: () => `http://${urlHost(otlpAddress.host)}:${otlpPort}`,
      uiPort: () => uiPort,
      now: Date.now,
    }),
  );
  // A slow or stuck client must not hold a socket forever (SSE responses are exempt: no timeout once streaming).
  otlpServer.requestTimeout = 30_000;
  otlpServer.headersTimeout = 10_000;
  uiServer.headersTimeout = 10_000;

  try {
    otlpPort = await listen(otlpServer, otlpAddress);
    uiPort = await listen(uiServer, uiAddress);
  } catch (error) {
    live.close();
    await Promise.all([closeServer(otlpServer), closeServer(uiServer)]);
    throw error;
  }
  return {
    otlpUrl: `http://${urlHost(otlpAddress.host)}:${otlpPort}`,
    uiUrl: `http://${urlHost(uiAddress.host)}:${uiPort}/`,
    store,
    async close() {
      live.close();
      await Promise.all([closeServer(otlpServer), closeServer(uiServer)]);
      await forwarder?.drain();
    },
  };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: Server, address: ListenAddress): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
