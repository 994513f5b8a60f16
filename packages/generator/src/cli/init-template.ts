/**
 * The commented starter manifest written by `platform init`; `command` runs the generator where
 * init ran (`npx @platform/generator`, `platform`, or `node …/platform.js`).
 */
export function starterManifest(schemaRef: string, command = 'npx @platform/generator'): string {
  return `# yaml-language-server: $schema=${schemaRef}
# platform.yaml – one manifest for collector configs, Grafana dashboards, k6 load tests and SLO rules.
# Validate: ${command} validate   Generate: ${command} generate --out .

# Deployment environment (resource attribute deployment.environment.name). Default: production.
environment: production

# OpenTelemetry Collector (agent next to services, gateway in front of backends). All optional.
collector:
  version: 0.144.0              # decides exporter names: otlp_grpc/otlp_http from 0.144.0
  # agent: { grpcEndpoint: 127.0.0.1:4317, httpEndpoint: 127.0.0.1:4318 }   # node-local by default
  # gateway:
  #   endpoint: otel-gateway:4317                # where agents send
  #   auth: mtls                                 # mtls (default) | bearer | none
  #   tls: { certFile: /etc/otelcol/tls/gateway.crt, keyFile: /etc/otelcol/tls/gateway.key }

# Where telemetry goes. Secrets only as \${env:VAR}; TLS is on unless a backend says tls: { insecure: true }.
backends:
  metrics:
    type: prometheus-remote-write
    endpoint: https://prometheus:9090/api/v1/write
    # headers: { Authorization: "Bearer \${env:PROM_TOKEN}" }
  logs:
    type: loki
    endpoint: https://loki:3100/otlp
  traces:
    type: tempo
    endpoint: tempo:4317

services:
  - name: my-service            # becomes the Prometheus job label
    version: 1.0.0
    port: 8080
    metrics: { path: /metrics, port: 9464 }
    endpoints:
      - { method: GET, route: /health }
    slos:
      availability: { objective: 99.9, window: 30d }
      latency: { objective: "p95 < 250ms", window: 30d }   # threshold must be a bucket boundary
`;
}
