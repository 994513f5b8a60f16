import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderAll } from '../src/generate.js';
import { renderCollectorAgent, renderCollectorGateway, type CollectorConfig } from '../src/render/collector.js';
import type { PlatformModel } from '../src/model.js';
import { collectQueries } from '../src/queries.js';
import { loadManifest } from '../src/manifest/validate.js';
import { MINIMAL, exampleModel, requireTool, variedModel } from './helpers.js';
import { SCHEMAS_DIR, validateCoreComponent } from './otelcol-schema.js';

/**
 * Documented fields of the contrib components we emit (no upstream schema ships for them).
 * Sources: each component's README in opentelemetry-collector-contrib. `*` = free-form map.
 */
type Fields = { [key: string]: Fields | true | '*' };
const TLS: Fields = {
  insecure: true,
  insecure_skip_verify: true,
  ca_file: true,
  cert_file: true,
  key_file: true,
  server_name_override: true,
  min_version: true,
  max_version: true,
};
const RETRY: Fields = { enabled: true, initial_interval: true, max_interval: true, max_elapsed_time: true, multiplier: true, randomization_factor: true };
const ATTR_ACTION: Fields = { key: true, value: true, action: true, pattern: true, from_attribute: true, from_context: true, converted_type: true };
const SENDING_QUEUE: Fields = { enabled: true, storage: true, num_consumers: true, sizer: true, queue_size: true };
const LOAD_BALANCING: Fields = {
  routing_key: true,
  protocol: {
    otlp: { tls: TLS, auth: { authenticator: true }, compression: true, timeout: true, headers: '*', retry_on_failure: RETRY, sending_queue: SENDING_QUEUE },
  },
  resolver: {
    static: { hostnames: true },
    dns: { hostname: true, port: true, interval: true, timeout: true },
    k8s: { service: true, ports: true, timeout: true, return_hostnames: true },
  },
  timeout: true,
  retry_on_failure: RETRY,
  sending_queue: SENDING_QUEUE,
};
const CONTRIB: Record<string, Fields> = {
  'exporters/loadbalancing': LOAD_BALANCING,
  'exporters/load_balancing': LOAD_BALANCING,
  'extensions/health_check': {
    endpoint: true,
    path: true,
    tls: TLS,
    response_body: true,
    check_collector_pipeline: { enabled: true, interval: true, exporter_failure_threshold: true },
  },
  'extensions/bearertokenauth': { token: true, scheme: true, filename: true, header: true },
  'extensions/file_storage': {
    directory: true,
    timeout: true,
    fsync: true,
    create_directory: true,
    directory_permissions: true,
    compaction: {
      on_start: true,
      on_rebound: true,
      directory: true,
      max_transaction_size: true,
      rebound_needed_threshold_mib: true,
      rebound_trigger_threshold_mib: true,
      check_interval: true,
      cleanup_on_start: true,
    },
  },
  'receivers/prometheus': {
    config: {
      scrape_configs: {
        job_name: true,
        scrape_interval: true,
        scrape_timeout: true,
        metrics_path: true,
        scheme: true,
        static_configs: { targets: true, labels: '*' },
        honor_labels: true,
      },
    },
    trim_metric_suffixes: true,
    use_start_time_metric: true,
  },
  'processors/attributes': { actions: ATTR_ACTION, include: '*', exclude: '*' },
  'processors/resource': { attributes: ATTR_ACTION },
  'processors/tail_sampling': {
    decision_wait: true,
    num_traces: true,
    expected_new_traces_per_sec: true,
    policies: {
      name: true,
      type: true,
      status_code: { status_codes: true },
      latency: { threshold_ms: true, upper_threshold_ms: true },
      probabilistic: { sampling_percentage: true, hash_salt: true },
    },
  },
  'processors/probabilistic_sampler': { sampling_percentage: true, hash_seed: true, mode: true },
  'exporters/prometheusremotewrite': {
    endpoint: true,
    headers: '*',
    tls: TLS,
    timeout: true,
    retry_on_failure: RETRY,
    remote_write_queue: { enabled: true, queue_size: true, num_consumers: true },
    wal: { directory: true, buffer_size: true, truncate_frequency: true },
    external_labels: '*',
    namespace: true,
    resource_to_telemetry_conversion: { enabled: true },
    target_info: { enabled: true },
    add_metric_suffixes: true,
    send_metadata: true,
  },
  'exporters/prometheus': {
    endpoint: true,
    namespace: true,
    const_labels: '*',
    send_timestamps: true,
    metric_expiration: true,
    enable_open_metrics: true,
    add_metric_suffixes: true,
    resource_to_telemetry_conversion: { enabled: true },
    tls: TLS,
  },
};

function checkFields(value: unknown, fields: Fields | true | '*', at: string, errors: string[]): void {
  if (fields === true || fields === '*' || value === null || typeof value !== 'object') return;
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
      const f = fields[k];
      if (f === undefined) errors.push(`${at}.${k}: not a documented field`);
      else checkFields(v, f, `${at}.${k}`, errors);
    }
  }
}

const KINDS = ['receivers', 'processors', 'exporters', 'extensions'] as const;

function validateConfig(config: CollectorConfig): string[] {
  const errors: string[] = [];
  for (const kind of KINDS) {
    for (const [name, body] of Object.entries(config[kind])) {
      const type = name.split('/')[0] as string;
      const core = validateCoreComponent(kind, type, body, `${kind}.${name}`);
      if (core) errors.push(...core);
      else if (CONTRIB[`${kind}/${type}`]) checkFields(body, CONTRIB[`${kind}/${type}`] as Fields, `${kind}.${name}`, errors);
      else errors.push(`${kind}.${name}: component type "${type}" has neither an upstream schema nor a documented field list`);
    }
  }
  return errors;
}

function wiring(config: CollectorConfig): string[] {
  const errors: string[] = [];
  const used = new Set<string>();
  for (const [pname, p] of Object.entries(config.service.pipelines)) {
    for (const [kind, list] of [
      ['receivers', p.receivers],
      ['processors', p.processors],
      ['exporters', p.exporters],
    ] as const) {
      if (kind !== 'processors' && list.length === 0) errors.push(`pipeline ${pname} has no ${kind}`);
      for (const c of list) {
        used.add(`${kind}/${c}`);
        if (!(c in config[kind])) errors.push(`pipeline ${pname} uses undefined ${kind}.${c}`);
      }
    }
    expect(p.processors[0], `${pname}: memory_limiter first`).toBe('memory_limiter');
    expect(p.processors.at(-1), `${pname}: batch last`).toBe('batch');
    const sampler = p.processors.findIndex((x) => x.includes('sampl'));
    if (sampler !== -1) expect(sampler).toBeLessThan(p.processors.indexOf('batch'));
  }
  for (const e of config.service.extensions) {
    used.add(`extensions/${e}`);
    if (!(e in config.extensions)) errors.push(`service uses undefined extension ${e}`);
  }
  for (const kind of KINDS)
    for (const name of Object.keys(config[kind])) if (!used.has(`${kind}/${name}`)) errors.push(`${kind}.${name} is defined but never used`);
  // every persistent queue points at a defined storage extension
  for (const [name, body] of Object.entries(config.exporters)) {
    const storage = (body as { sending_queue?: { storage?: string } }).sending_queue?.storage;
    if (storage !== undefined && !(storage in config.extensions)) errors.push(`exporters.${name} queue uses undefined storage ${storage}`);
  }
  return errors;
}

/** Three gateways listed under collector.gateway.endpoints (traces sharded by trace id). */
const shardedModel = (version = '0.156.0'): PlatformModel =>
  loadManifest(`collector:\n  version: "${version}"\n  gateway:\n    endpoints: ["gw-a:4317", "gw-b:4317", "gw-c:4317"]\n${MINIMAL}`, 'sharded.yaml');

const models: Array<[string, () => PlatformModel]> = [
  ['example', exampleModel],
  ['varied', variedModel],
  ['sharded', () => shardedModel()],
];

describe.each(models)('collector configs (%s manifest)', (_, load) => {
  const model = load();
  const configs = { agent: renderCollectorAgent(model), gateway: renderCollectorGateway(model) };
  const schemasPresent = requireTool(existsSync(SCHEMAS_DIR), `collector schemas in ${SCHEMAS_DIR}`);

  it.each(Object.entries(configs))('%s: pipelines reference defined components and every component is used', (_, config) => {
    expect(wiring(config)).toEqual([]);
  });

  it.each(Object.entries(configs))('%s: components validate against upstream schemas / documented fields', (_, config) => {
    if (!schemasPresent) return;
    expect(validateConfig(config)).toEqual([]);
  });

  it('remote exporters retry, queue on disk, keep TLS unless told otherwise, and hold no literal secret', () => {
    for (const [name, body] of Object.entries(configs.gateway.exporters) as Array<[string, Record<string, unknown>]>) {
      if (name === 'prometheus') continue;
      expect(body['retry_on_failure'], name).toMatchObject({ enabled: true });
      if (!name.startsWith('prometheusremotewrite')) expect(body['sending_queue'], name).toMatchObject({ enabled: true, storage: 'file_storage/queue' });
      else {
        // The PRW write-ahead log lost data in real runs (0.117 and 0.156): never generated.
        expect(body['wal'], name).toBeUndefined();
        expect(body['remote_write_queue'], name).toMatchObject({ enabled: true });
      }
      for (const v of Object.values((body['headers'] ?? {}) as Record<string, string>))
        if (/auth|key|token/i.test(v) || /\$\{/.test(v)) expect(v).toMatch(/\$\{env:[A-Z_]+\}/);
    }
  });

  it('serialised YAML round-trips to the same data', () => {
    const files = renderAll(model);
    expect(parse(files.get('collector/agent.yaml') as string)).toEqual(configs.agent);
    expect(parse(files.get('collector/gateway.yaml') as string)).toEqual(configs.gateway);
  });
});

describe('collector version specifics', () => {
  it('uses otlp_grpc/otlp_http from 0.144.0 and otlp/otlphttp before', () => {
    const newer = renderCollectorGateway(exampleModel());
    expect(Object.keys(newer.exporters)).toEqual(expect.arrayContaining(['otlp_grpc/tempo', 'otlp_http/loki']));
    expect(Object.keys(renderCollectorAgent(exampleModel()).exporters)).toEqual(['otlp_grpc/gateway']);
    const older = renderCollectorGateway(variedModel()); // 0.120.0
    expect(Object.keys(older.exporters).sort()).toEqual(['otlphttp/jaeger', 'otlphttp/loki', 'otlphttp/vendor', 'prometheus']);
    expect(Object.keys(renderCollectorAgent(variedModel()).exporters)).toEqual(['otlp/gateway']);
  });

  it('TLS is on by default and insecure only when the manifest says so', () => {
    const tls = (renderCollectorGateway(exampleModel()).exporters['otlp_grpc/tempo'] as { tls: { insecure: boolean } }).tls;
    expect(tls.insecure).toBe(false);
    const varied = renderCollectorGateway(variedModel()).exporters;
    expect((varied['otlphttp/jaeger'] as { tls: { insecure: boolean } }).tls.insecure).toBe(true);
    expect((varied['otlphttp/vendor'] as { tls: { insecure: boolean } }).tls.insecure).toBe(false);
  });

  it('the agent scrapes every service with job_name = service name', () => {
    const scrape = (
      renderCollectorAgent(variedModel()).receivers['prometheus'] as {
        config: { scrape_configs: Array<{ job_name: string; metrics_path: string; static_configs: Array<{ targets: string[] }> }> };
      }
    ).config.scrape_configs;
    expect(scrape.map((s) => [s.job_name, s.metrics_path, s.static_configs[0]?.targets[0]])).toEqual([
      ['api', '/metrics', '127.0.0.1:9464'],
      ['worker', '/prom', '127.0.0.1:9100'],
    ]);
  });

  it('the README carries a Mermaid diagram of both collectors', () => {
    const readme = renderAll(exampleModel()).get('collector/README.md') as string;
    expect(readme).toContain('```mermaid');
    expect(readme).toContain('otlp_grpc/tempo');
  });
});

describe('several gateways (collector.gateway.endpoints)', () => {
  type Exporter = Record<string, unknown> & { sending_queue?: Record<string, unknown>; retry_on_failure?: Record<string, unknown> };
  const agent = renderCollectorAgent(shardedModel());

  it('traces go through the load-balancing exporter keyed by trace id over every listed gateway', () => {
    const lb = agent.exporters['load_balancing/gateway'] as Exporter;
    expect(lb['routing_key']).toBe('traceID');
    expect(lb['resolver']).toEqual({ static: { hostnames: ['gw-a:4317', 'gw-b:4317', 'gw-c:4317'] } });
    expect(agent.service.pipelines['traces']?.exporters).toEqual(['load_balancing/gateway']);
  });

  it('metrics and logs keep the plain exporter to the first gateway', () => {
    expect((agent.exporters['otlp_grpc/gateway'] as Exporter)['endpoint']).toBe('gw-a:4317');
    for (const p of ['metrics/scrape', 'metrics/otlp', 'logs']) expect(agent.service.pipelines[p]?.exporters, p).toEqual(['otlp_grpc/gateway']);
  });

  it("each gateway connection carries the single-gateway exporter's TLS, auth and compression; the disk queue sits on the load balancer", () => {
    const plain = agent.exporters['otlp_grpc/gateway'] as Exporter;
    const lb = agent.exporters['load_balancing/gateway'] as Exporter;
    const perGateway = (lb['protocol'] as { otlp: Exporter }).otlp;
    for (const key of ['tls', 'compression', 'timeout']) expect(perGateway[key], key).toEqual(plain[key]);
    expect(perGateway.sending_queue).toEqual({ enabled: false });
    expect(perGateway.retry_on_failure).toEqual({ enabled: false });
    expect(lb.sending_queue).toEqual(plain.sending_queue);
    expect(lb.sending_queue).toMatchObject({ enabled: true, storage: 'file_storage/queue' });
    expect(lb.retry_on_failure).toEqual(plain.retry_on_failure);
  });

  it('bearer auth reaches every gateway connection', () => {
    const m = loadManifest(
      `collector:\n  gateway:\n    endpoints: ["gw-a:4317", "gw-b:4317"]\n    auth: bearer\n    bearerToken: "\${env:GW_TOKEN}"\n${MINIMAL}`,
      'm.yaml',
    );
    // Default collector version 0.144.0: the exporter's old name.
    const lb = renderCollectorAgent(m).exporters['loadbalancing/gateway'] as { protocol: { otlp: { auth: unknown; tls: Record<string, unknown> } } };
    expect(lb.protocol.otlp.auth).toEqual({ authenticator: 'bearertokenauth/gateway' });
    expect(lb.protocol.otlp.tls).not.toHaveProperty('cert_file');
  });

  it('is named loadbalancing before 0.153.0 and load_balancing from it', () => {
    expect(Object.keys(renderCollectorAgent(shardedModel('0.152.0')).exporters)).toEqual(['otlp_grpc/gateway', 'loadbalancing/gateway']);
    expect(Object.keys(renderCollectorAgent(shardedModel('0.117.0')).exporters)).toEqual(['otlp/gateway', 'loadbalancing/gateway']);
    expect(Object.keys(renderCollectorAgent(shardedModel('0.153.0')).exporters)).toEqual(['otlp_grpc/gateway', 'load_balancing/gateway']);
  });

  it('one listed gateway renders exactly what collector.gateway.endpoint renders', () => {
    const one = loadManifest(`collector:\n  gateway:\n    endpoints: ["gw-a:4317"]\n${MINIMAL}`, 'm.yaml');
    const classic = loadManifest(`collector:\n  gateway:\n    endpoint: "gw-a:4317"\n${MINIMAL}`, 'm.yaml');
    expect(renderCollectorAgent(one)).toEqual(renderCollectorAgent(classic));
    expect(renderAll(one)).toEqual(renderAll(classic));
  });

  it('the gateway config does not depend on how many gateways agents know', () => {
    expect(renderCollectorGateway(shardedModel())).toEqual(
      renderCollectorGateway(loadManifest(`collector:\n  version: "0.156.0"\n  gateway:\n    endpoint: "gw-a:4317"\n${MINIMAL}`, 'm.yaml')),
    );
  });
});

describe('the schema validator itself', () => {
  it('catches misspelt keys in core components (through $ref and allOf) and bad types', () => {
    if (!requireTool(existsSync(SCHEMAS_DIR), 'collector schemas')) return;
    const bad = {
      endpoint: 'tempo:4317',
      tls: { insecure: false, ca_fil: '/x' },
      retry_on_failur: { enabled: true },
      sending_queue: { enabled: true, storag: 'file_storage/queue', queue_size: 'big' },
      timeout: 'soon',
    };
    const errors = validateCoreComponent('exporters', 'otlp_grpc', bad, 'x') ?? [];
    expect(errors.join('\n')).toMatch(/tls\.ca_fil: unknown key/);
    expect(errors.join('\n')).toMatch(/retry_on_failur: unknown key/);
    expect(errors.join('\n')).toMatch(/sending_queue\.storag: unknown key/);
    expect(errors.join('\n')).toMatch(/queue_size: expected an integer/);
    expect(errors.join('\n')).toMatch(/timeout: "soon" is not a Go duration/);
    expect(validateCoreComponent('processors', 'batch', { send_batch_size: -1 }, 'b')).toEqual(['b.send_batch_size: must be non-negative']);
  });
});

describe('the agent -> gateway hop', () => {
  const model = (collector: string): PlatformModel => loadManifest(`collector: ${collector}\n${MINIMAL}`, 'm.yaml');
  type Tls = Record<string, unknown>;
  const agentSide = (m: PlatformModel): { tls: Tls; auth?: { authenticator: string } } =>
    Object.values(renderCollectorAgent(m).exporters)[0] as { tls: Tls; auth?: { authenticator: string } };
  const gatewaySide = (m: PlatformModel): Record<'grpc' | 'http', { endpoint: string; tls?: Tls; auth?: { authenticator: string } }> =>
    (renderCollectorGateway(m).receivers['otlp'] as { protocols: Record<'grpc' | 'http', { endpoint: string; tls?: Tls; auth?: { authenticator: string } }> })
      .protocols;

  it('defaults to mTLS: the gateway serves a certificate and requires client certificates the agent presents', () => {
    const m = model('{}');
    expect(agentSide(m).tls).toEqual({
      insecure: false,
      ca_file: '/etc/otelcol/tls/ca.crt',
      cert_file: '/etc/otelcol/tls/agent.crt',
      key_file: '/etc/otelcol/tls/agent.key',
      min_version: '1.2',
    });
    for (const p of Object.values(gatewaySide(m))) {
      expect(p.tls).toEqual({
        cert_file: '/etc/otelcol/tls/gateway.crt',
        key_file: '/etc/otelcol/tls/gateway.key',
        client_ca_file: '/etc/otelcol/tls/ca.crt',
        min_version: '1.2',
      });
      expect(p.auth).toBeUndefined();
    }
  });

  it('takes every file from the manifest (env references included) and the global CA as the default CA', () => {
    const m = loadManifest(
      `tls: { caFile: /pki/root.pem }\ncollector:\n  gateway:\n    tls: { certFile: "\${env:GW_CERT}", keyFile: /pki/gw.key, clientCaFile: /pki/agents-ca.pem, clientCertFile: /pki/a.crt, clientKeyFile: /pki/a.key, serverName: gw.internal, minVersion: "1.3" }\n${MINIMAL}`,
      'm.yaml',
    );
    expect(agentSide(m).tls).toEqual({
      insecure: false,
      ca_file: '/pki/root.pem',
      cert_file: '/pki/a.crt',
      key_file: '/pki/a.key',
      server_name_override: 'gw.internal',
      min_version: '1.3',
    });
    expect(gatewaySide(m).grpc.tls).toEqual({ cert_file: '${env:GW_CERT}', key_file: '/pki/gw.key', client_ca_file: '/pki/agents-ca.pem', min_version: '1.3' });
  });

  it('bearer: TLS without client certificates, the same token extension on both ends', () => {
    const m = model('{ gateway: { auth: bearer, bearerToken: "${env:OTEL_GATEWAY_TOKEN}" } }');
    expect(agentSide(m).tls).not.toHaveProperty('cert_file');
    expect(agentSide(m).auth).toEqual({ authenticator: 'bearertokenauth/gateway' });
    expect(renderCollectorAgent(m).extensions['bearertokenauth/gateway']).toEqual({ token: '${env:OTEL_GATEWAY_TOKEN}' });
    expect(renderCollectorGateway(m).extensions['bearertokenauth/agents']).toEqual({ token: '${env:OTEL_GATEWAY_TOKEN}' });
    for (const p of Object.values(gatewaySide(m))) {
      expect(p.auth).toEqual({ authenticator: 'bearertokenauth/agents' });
      expect(p.tls).not.toHaveProperty('client_ca_file');
    }
  });

  it('plain text only on the hop that says so; backends keep TLS', () => {
    const m = model('{ gateway: { auth: none, tls: { insecure: true } } }');
    expect(agentSide(m).tls).toEqual({ insecure: true });
    expect(gatewaySide(m).grpc.tls).toBeUndefined();
    for (const [name, e] of Object.entries(renderCollectorGateway(m).exporters)) expect((e as { tls?: Tls }).tls?.['insecure'], name).toBe(false);
  });

  it('refuses combinations that cannot connect or that say nothing', () => {
    const cases: Array<[string, RegExp]> = [
      ['{ gateway: { tls: { insecure: true } } }', /auth: mtls needs TLS on this hop/],
      ['{ gateway: { auth: bearer } }', /auth: bearer needs collector\.gateway\.bearerToken/],
      ['{ gateway: { auth: none, bearerToken: "${env:T}" } }', /bearerToken is only used with auth: bearer/],
      ['{ gateway: { auth: bearer, bearerToken: "hunter2" } }', /invalid value/],
      ['{ gateway: { auth: none, tls: { clientCaFile: /x.pem } } }', /clientCaFile is only used with auth: mtls/],
      ['{ gateway: { healthCheckEndpoint: "127.0.0.1:8888" } }', /port 8888 is already used by the gateway's/],
      ['{ grpcEndpoint: "0.0.0.0:4317" }', /"grpcEndpoint" has moved/],
    ];
    for (const [collector, message] of cases) expect(() => model(collector), collector).toThrow(message);
    expect(() => loadManifest(`tls: { insecure: true }\n${MINIMAL}`, 'm.yaml')).toThrow(/plain text cannot be switched on for every hop at once/);
  });
});

describe('trusted metric sources', () => {
  it('the agent stamps scraped series telemetry_source="scrape" and pushed ones "otlp"', () => {
    const agent = renderCollectorAgent(exampleModel());
    const scrape = (agent.receivers['prometheus'] as { config: { scrape_configs: Array<{ static_configs: Array<{ labels: Record<string, string> }> }> } })
      .config.scrape_configs;
    for (const s of scrape) expect(s.static_configs[0]?.labels['telemetry_source']).toBe('scrape');
    expect(agent.processors['attributes/telemetry-source']).toEqual({ actions: [{ key: 'telemetry_source', value: 'otlp', action: 'upsert' }] });
    expect(agent.service.pipelines['metrics/otlp']?.processors).toContain('attributes/telemetry-source');
    expect(agent.service.pipelines['metrics/scrape']?.processors).not.toContain('attributes/telemetry-source');
  });

  it('every query on a raw contract series selects the trusted source', () => {
    for (const q of collectQueries(exampleModel())) {
      if (q.metrics.length === 0 || q.kind === 'alerting-rule') continue;
      expect(q.expr, `${q.file} ${q.source}`).toMatch(/telemetry_source="scrape"/);
    }
  });
});

describe('persistent queues are bounded', () => {
  const queueOf = (version: string) => {
    const m = loadManifest(`collector: { version: ${version}, queueSizeMiB: 512 }\n${MINIMAL}`, 'm.yaml');
    return [(Object.values(renderCollectorAgent(m).exporters)[0] as { sending_queue: unknown }).sending_queue, m.collector.queue] as const;
  };
  it('in bytes from 0.156.0, by a request count sized from the MiB bound before', () => {
    expect(queueOf('0.156.0')[0]).toEqual({ enabled: true, storage: 'file_storage/queue', num_consumers: 4, sizer: 'bytes', queue_size: 512 * 1024 * 1024 });
    const [queue, model] = queueOf('0.117.0');
    expect(queue).toEqual({ enabled: true, storage: 'file_storage/queue', num_consumers: 4, queue_size: 51 });
    expect(model.diskMiB).toBe(510);
  });
});

describe('prometheus-scrape backend', () => {
  it("defaults to a bind address that does not collide with the gateway's own listeners", () => {
    const m = loadManifest(`backends:\n  metrics: { type: prometheus-scrape }\n${MINIMAL}`, 'm.yaml');
    const gateway = renderCollectorGateway(m);
    expect((gateway.exporters['prometheus'] as { endpoint: string }).endpoint).toBe('0.0.0.0:8889');
    const self = (gateway.service.telemetry as { metrics: { readers: Array<{ pull: { exporter: { prometheus: { host: string; port: number } } } }> } }).metrics
      .readers[0]!.pull.exporter.prometheus;
    expect(self).toEqual({ host: '127.0.0.1', port: 8888 });
    expect(() => loadManifest(`backends:\n  metrics: { type: prometheus-scrape, endpoint: "0.0.0.0:8888" }\n${MINIMAL}`, 'm.yaml')).toThrow(
      /port 8888 is already used by the gateway's metricsEndpoint/,
    );
  });
});

describe('collector README with several gateways', () => {
  it('says how traces are sharded and where metrics and logs go; says nothing of it with one gateway', () => {
    const m = loadManifest(`collector:\n  gateway:\n    endpoints: ["gw-a:4317", "gw-b:4317"]\n${MINIMAL}`, 'm.yaml');
    const readme = renderAll(m).get('collector/README.md') as string;
    expect(readme).toContain("Traces are sharded over 2 gateways (`gw-a:4317`, `gw-b:4317`) by the agent's `loadbalancing` exporter, keyed by trace id");
    expect(readme).toContain('Metrics and logs go to the first gateway.');
    expect(renderAll(exampleModel()).get('collector/README.md')).not.toContain('sharded');
  });
});
