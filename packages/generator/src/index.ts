export { runCli, runCliAsync, EXIT } from './cli/run.js';
export type { CliIo } from './cli/run.js';
export { ManifestError, OutputError, formatIssue } from './errors.js';
export type { ManifestIssue } from './errors.js';
export { loadManifest, parseLatencyObjective } from './manifest/validate.js';
export { MANIFEST_SCHEMA_PATH } from './manifest/schema.js';
export type {
  AgentModel,
  AvailabilitySloModel,
  BackendModel,
  CollectorModel,
  EndpointModel,
  GatewayAuth,
  GatewayModel,
  LatencySloModel,
  ListenersModel,
  LogsBackendModel,
  MetricsBackendModel,
  PlatformModel,
  QueueModel,
  ServiceModel,
  Signal,
  TlsModel,
  TracesBackendModel,
  VendorBackendModel,
} from './model.js';
export { DEFAULTS } from './model.js';
export { renderAll, renderFiles } from './generate.js';
export { collectQueries, metricsIn } from './queries.js';
export type { PromQuery } from './queries.js';
export { substituteGrafanaVariables } from './promql/expressions.js';
export { writeArtifacts, checkArtifacts } from './write.js';
export type { WriteResult } from './write.js';
