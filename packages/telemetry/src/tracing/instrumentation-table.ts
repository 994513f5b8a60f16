/**
 * Instrumentations the SDK can enable, keyed by the upstream short name (as used by
 * OTEL_NODE_ENABLED_INSTRUMENTATIONS). An instrumentation package is only loaded when one
 * of its `targets` is resolvable from the application, so an app without `pg` never pays
 * for loading the pg instrumentation. `core: true` entries patch Node built-ins and are
 * always candidates; `defaultOff` entries need to be enabled explicitly.
 */
export interface InstrumentationEntry {
  readonly name: string;
  readonly packageName: string;
  readonly targets: readonly string[];
  /** Always a candidate (Node built-ins, and instrumentations that patch no module). */
  readonly core?: boolean;
  readonly defaultOff?: boolean;
  /**
   * Another instrumentation that already instruments the same code: when that one loads, this
   * one is skipped unless enabled by name (Express 5 runs on `router`; instrumenting both
   * doubles every layer span and names them `middleware - patched`).
   */
  readonly coveredBy?: string;
  /** Implemented in this package (packageName names the upstream one it replaces). */
  readonly ownImplementation?: boolean;
}

const entry = (name: string, targets: readonly string[], extra: Partial<InstrumentationEntry> = {}): InstrumentationEntry => ({
  name,
  packageName: `@opentelemetry/instrumentation-${name}`,
  targets,
  ...extra,
});

export const INSTRUMENTATION_TABLE: readonly InstrumentationEntry[] = Object.freeze([
  entry('http', ['http', 'https'], { core: true }),
  entry('undici', ['undici'], { core: true }), // global fetch() is undici
  // Our own: reports the route template only (see ExpressRouteInstrumentation).
  entry('express', ['express'], { ownImplementation: true }),
  entry('router', ['router'], { coveredBy: 'express' }),
  // Our own, route only: Fastify through its `fastify.initialization` diagnostics channel (no
  // module patch, so always a candidate: a Fastify nested under @nestjs/platform-fastify is
  // covered too); Koa (@koa/router's matched route) and Hapi (`request.route.path`).
  entry('fastify', ['fastify'], { core: true, ownImplementation: true }),
  entry('connect', ['connect']),
  entry('koa', ['koa'], { ownImplementation: true }),
  entry('hapi', ['@hapi/hapi'], { ownImplementation: true }),
  entry('restify', ['restify']),
  // NestJS serves through Express or Fastify, whose instrumentations report its routes (global
  // prefix, controller and method paths joined); upstream's adds spans per handler: by name only.
  entry('nestjs-core', ['@nestjs/core'], { defaultOff: true }),
  entry('graphql', ['graphql']),
  entry('grpc', ['@grpc/grpc-js']),
  entry('pg', ['pg']),
  entry('mysql', ['mysql']),
  entry('mysql2', ['mysql2']),
  entry('tedious', ['tedious']),
  entry('oracledb', ['oracledb']),
  entry('knex', ['knex']),
  entry('mongodb', ['mongodb']),
  entry('mongoose', ['mongoose']),
  entry('ioredis', ['ioredis']),
  entry('redis', ['redis', '@redis/client']),
  entry('memcached', ['memcached']),
  entry('cassandra-driver', ['cassandra-driver']),
  entry('amqplib', ['amqplib']),
  entry('kafkajs', ['kafkajs']),
  entry('socket.io', ['socket.io']),
  entry('dataloader', ['dataloader']),
  entry('generic-pool', ['generic-pool']),
  entry('lru-memoizer', ['lru-memoizer']),
  entry('aws-sdk', ['@smithy/smithy-client', 'aws-sdk']),
  entry('openai', ['openai']),
  entry('pino', ['pino']),
  entry('winston', ['winston']),
  entry('bunyan', ['bunyan']),
  entry('fs', ['fs'], { core: true, defaultOff: true }),
  entry('dns', ['dns'], { core: true, defaultOff: true }),
  entry('net', ['net'], { core: true, defaultOff: true }),
]);

export const INSTRUMENTATION_NAMES: readonly string[] = INSTRUMENTATION_TABLE.map((e) => e.name);

/**
 * Drops entries covered by another entry that is also loading, unless `enabled` names them. Pure.
 */
export function withoutCovered(loading: readonly InstrumentationEntry[], enabled: readonly string[] | undefined): InstrumentationEntry[] {
  const names = new Set(loading.map((e) => e.name));
  return loading.filter((e) => e.coveredBy === undefined || !names.has(e.coveredBy) || (enabled?.includes(e.name) ?? false));
}

/** The entries to try, after OTEL_NODE_ENABLED/DISABLED_INSTRUMENTATIONS. Pure. */
export function selectInstrumentations(enabled: readonly string[] | undefined, disabled: readonly string[]): InstrumentationEntry[] {
  return INSTRUMENTATION_TABLE.filter((e) => {
    if (disabled.includes(e.name)) return false;
    if (enabled) return enabled.includes(e.name);
    return !e.defaultOff;
  });
}
