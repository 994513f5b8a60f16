// The public API of @platform/dev: start the receiver + UI from code, or run the `platform dev`
// command line (the generator's CLI delegates to runDevCli). Everything else is internal.
export { startDevServer } from './dev-server.js';
export type { DevServer, DevServerOptions, ListenAddress } from './dev-server.js';
export { runDevCli } from './cli.js';
export type { DevCliIo } from './cli.js';
export type { StoreCaps, StoreStats } from './store/telemetry-store.js';
export type { SloManifest, ServiceSloInput, AvailabilitySloInput, LatencySloInput } from './slo/slo-manifest.js';
