import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import {
  propagation,
  ROOT_CONTEXT,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type Context,
  type Link,
  type Tracer,
} from '@opentelemetry/api';
import { RPCType, setRPCMetadata, suppressTracing, type RPCMetadata } from '@opentelemetry/core';
import type { HttpServerMetrics } from '../metrics/http-server-metrics.js';
import { errorTypeForStatus, normaliseMethod } from '../metrics/normalise-labels.js';
import { contextRunner, type ContextRunner } from './active-context.js';
import { frameworkRoute, recordedRoute } from './framework-route.js';
import { reportedRoute } from './request-route.js';
import { serverSpanSettingsOf, startServerSpan, type ServerSpanSettings } from './server-span.js';

export interface HttpServerInstrumentationOptions {
  tracer: Tracer;
  metrics: HttpServerMetrics;
  /** Requests that get neither a span nor metrics (the /metrics scrape). */
  ignore: (req: IncomingMessage) => boolean;
  /**
   * false at the edge (PLATFORM_TRUST_INCOMING_CONTEXT=false): the caller's `traceparent` does
   * not decide sampling nor set the trace id (each request starts a new trace; the caller's
   * span context is kept as a span link) and the caller's `baggage` is not put in the request's
   * context, so it is not forwarded on outgoing calls. Default true.
   */
  trustIncomingContext?: boolean;
}

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;
const kOriginalEmit = Symbol.for('@platform/telemetry.http.originalEmit');
type PatchedEmit = Emit & { [kOriginalEmit]?: Emit };

/**
 * The server side of HTTP tracing and metrics, in wrappers of `emit` on the prototypes of
 * node:http's and node:https' Server, IncomingMessage and ServerResponse: per request, one
 * SERVER span (W3C context extracted from the headers, stable semantic-convention attributes,
 * renamed `METHOD /route` once the framework matched a route), the request/response emitters
 * bound to its context, and the duration and in-flight metrics. It replaces the incoming half
 * of @opentelemetry/instrumentation-http, whose per-request cost was the largest single item in
 * the HTTP benchmark's profile; the outgoing half stays upstream's. Patching the prototypes (not
 * the module exports) also covers servers of apps that imported `node:http` before telemetry
 * started.
 *
 * The route comes from `setRoute(req, ...)` (the app's, or the Fastify, Koa and Hapi
 * instrumentations'), else from the RPC metadata the Express instrumentation (and upstream ones
 * enabled by name) fill in, else, for Express without its instrumentation, from `req.route`.
 * Returns the uninstaller.
 */
export function instrumentHttpServers(options: HttpServerInstrumentationOptions): () => void {
  const contexts = contextRunner();
  // The SDK tracer's settings, for the purpose-built server span (server-span.ts); another
  // tracer starts the spans itself. Read once, for both schemes.
  const serverSpans = serverSpanSettingsOf(options.tracer);
  const unpatch = [
    replaceEmit(http.Server.prototype, (original) => serverEmit(original, tracedRequest('http', options, contexts, serverSpans))),
    replaceEmit(https.Server.prototype, (original) => serverEmit(original, tracedRequest('https', options, contexts, serverSpans))),
    replaceEmit(http.IncomingMessage.prototype, (original) => messageEmit(original, contexts)),
    replaceEmit(http.ServerResponse.prototype, (original) => messageEmit(original, contexts)),
  ];
  return () => {
    for (const u of unpatch) u();
  };
}

/**
 * Replaces `proto.emit` with `wrap(original)`, unless another copy of the SDK got there first;
 * returns the uninstaller, which restores the prototype as it was (an inherited `emit` is
 * inherited again) if the wrapper is still in place.
 */
function replaceEmit(proto: object, wrap: (original: Emit) => Emit): () => void {
  const target = proto as { emit?: PatchedEmit };
  const original = target.emit!;
  if (original[kOriginalEmit] !== undefined) return () => undefined;
  const own = Object.prototype.hasOwnProperty.call(target, 'emit');
  const patched: PatchedEmit = wrap(original);
  patched[kOriginalEmit] = original;
  target.emit = patched;
  return () => {
    if (target.emit !== patched) return;
    if (own) target.emit = original;
    else delete target.emit;
  };
}

/** Server `emit`: a `request` event goes through `traced`, every other event straight through. */
function serverEmit(original: Emit, traced: ReturnType<typeof tracedRequest>): Emit {
  return function (this: unknown, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'request') return original.apply(this, [event, ...args]);
    return traced(this, original, args[0] as IncomingMessage, args[1] as ServerResponse);
  };
}

function tracedRequest(
  scheme: 'http' | 'https',
  options: HttpServerInstrumentationOptions,
  contexts: ContextRunner,
  serverSpans: ServerSpanSettings | undefined,
) {
  const { tracer, metrics, ignore } = options;
  const trustIncoming = options.trustIncomingContext ?? true;
  return function handle(server: unknown, emit: Emit, req: IncomingMessage, res: ServerResponse): boolean {
    let request: TracedRequest;
    try {
      if (ignore(req)) return contexts.with(suppressTracing(contexts.active()), emitRequest, undefined, server, emit, req, res, undefined);
      request = startRequest(req, res);
    } catch {
      // Instrumentation must never cost the application a request.
      return emit.call(server, 'request', req, res);
    }
    return contexts.with(request.ctx, emitRequest, undefined, server, emit, req, res, request);
  };

  /** Starts the request's span and metrics; the request and response now carry it (see messageEmit). */
  function startRequest(req: IncomingMessage, res: ServerResponse): TracedRequest {
    const rawMethod = req.method ?? 'GET';
    const method = normaliseMethod(rawMethod);
    const attributes = requestAttributes(req, scheme, method, rawMethod);
    const incoming = propagation.extract(ROOT_CONTEXT, req.headers);
    let parent = incoming;
    let span: Span;
    let links: Link[] | undefined;
    if (!trustIncoming) {
      // Untrusted caller: a new root (the sampler decides alone), the caller's span as a link.
      parent = ROOT_CONTEXT;
      const remote = trace.getSpanContext(incoming);
      links = remote !== undefined && isSpanContextValid(remote) ? [{ context: remote }] : [];
    }
    if (serverSpans !== undefined) span = startServerSpan(serverSpans, method, attributes, parent, links);
    else span = tracer.startSpan(method, { kind: SpanKind.SERVER, attributes, links }, parent);
    const request = new TracedRequest(req, res, span, method, scheme, metrics);
    request.ctx = setRPCMetadata(trace.setSpan(parent, span), request.rpc);
    metrics.onRequestStart(method, scheme);
    (req as InRequest)[kTracedRequest] = request;
    (res as InRequest)[kTracedRequest] = request;
    return request;
  }
}

/** Emits `request` to the server's listeners (in the request's context); a synchronous throw ends the request as failed. */
function emitRequest(server: unknown, emit: Emit, req: IncomingMessage, res: ServerResponse, request: TracedRequest | undefined): boolean {
  try {
    return emit.call(server, 'request', req, res);
  } catch (error) {
    // A request listener threw synchronously: record it, then let it propagate as before.
    request?.end(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

const kTracedRequest = Symbol('@platform/telemetry.http.tracedRequest');
type InRequest = (IncomingMessage | ServerResponse) & { [kTracedRequest]?: TracedRequest };

/**
 * `emit` of IncomingMessage.prototype and ServerResponse.prototype (replaced once, for every
 * request), so that the listeners of a traced request and its response run in the request's
 * context, as `context.bind(ctx, emitter)` would make them: `data`/`end` arrive from the socket,
 * outside the request's async context, so without this a handler after a body parser would
 * lose its span. The response's `close` and `error` end the request's span and metrics before
 * any listener runs (no listener of ours is added per request). A message without a traced
 * request (an outgoing call's response, the /metrics scrape) costs one property read.
 *
 * Why the prototype: setting `emit` (and the request's context) on every request and response
 * gave both objects new shapes and made the stores megamorphic, and the per-request listeners
 * cost an addListener each; callgrind put them among the largest items of our own per-request
 * instructions (bench/profile/count-instructions.js).
 */
function messageEmit(original: Emit, contexts: ContextRunner): Emit {
  return function (this: unknown, ...args: [string | symbol, ...unknown[]]): boolean {
    const request = (this as InRequest)[kTracedRequest];
    if (request === undefined) return original.apply(this, args);
    if (this === request.res) {
      const event = args[0];
      if (event === 'close') request.end(undefined);
      else if (event === 'error') request.end(args[1] instanceof Error ? args[1] : new Error(String(args[1])));
    }
    const ctx = request.ctx;
    if (contexts.active() === ctx) return original.apply(this, args);
    return contexts.with(ctx, applyEmit, undefined, original, this, args);
  };
}

function applyEmit(emit: Emit, target: unknown, args: [string | symbol, ...unknown[]]): boolean {
  return emit.apply(target, args);
}

/** One request's span and metrics, ended once. */
class TracedRequest {
  /** The request's context: its span, RPC metadata (for the route) and extracted baggage. */
  ctx: Context = ROOT_CONTEXT;
  readonly rpc: RPCMetadata;
  private readonly started = performance.now();
  private ended = false;

  constructor(
    private readonly req: IncomingMessage,
    readonly res: ServerResponse,
    private readonly span: Span,
    private readonly method: string,
    private readonly scheme: string,
    private readonly metrics: HttpServerMetrics,
  ) {
    this.rpc = { type: RPCType.HTTP, span };
  }

  /** Ends span and metrics, once; never throws. */
  end(error: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    try {
      this.finish(error);
    } catch {
      /* runs while the response emits: a throw here would crash the application */
    }
  }

  private finish(error: Error | undefined): void {
    const { req, res, span, method } = this;
    const status = res.statusCode;
    const route = recordedRoute(reportedRoute(req) ?? this.rpc.route ?? frameworkRoute(req), status);
    span.setAttribute('http.response.status_code', status);
    if (route !== undefined) {
      span.setAttribute('http.route', route);
      span.updateName(`${method} ${route}`);
    }
    let errorType: string | undefined;
    if (error !== undefined) {
      errorType = error.name || 'Error';
      span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    } else {
      errorType = errorTypeForStatus(status);
      if (errorType !== undefined) span.setStatus({ code: SpanStatusCode.ERROR });
    }
    if (errorType !== undefined) span.setAttribute('error.type', errorType);
    try {
      this.metrics.onRequestEnd(method, this.scheme, route, status, errorType, (performance.now() - this.started) / 1000, span.spanContext());
    } finally {
      span.end();
    }
  }
}

/** Stable HTTP server span attributes known when the request arrives. */
function requestAttributes(req: IncomingMessage, scheme: string, method: string, rawMethod: string): Attributes {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const attributes: Attributes = {
    'http.request.method': method,
    'url.scheme': scheme,
    'url.path': q === -1 ? url : url.slice(0, q),
    'network.protocol.version': req.httpVersion,
  };
  // Secret values are replaced by the UrlRedactingSpanProcessor when the span starts, as for
  // every instrumentation's URL attributes.
  if (q !== -1) attributes['url.query'] = url.slice(q + 1);
  if (method !== rawMethod) attributes['http.request.method_original'] = rawMethod;
  const host = req.headers.host;
  if (host !== undefined) {
    const colon = host.lastIndexOf(':');
    // `[::1]:8080` and `example.com:8080` carry a port; `[::1]` and `example.com` do not.
    if (colon !== -1 && colon > host.lastIndexOf(']')) {
      attributes['server.address'] = host.slice(0, colon);
      const port = Number(host.slice(colon + 1));
      if (Number.isInteger(port)) attributes['server.port'] = port;
    } else {
      attributes['server.address'] = host;
    }
  }
  const peer = req.socket?.remoteAddress;
  if (peer !== undefined) attributes['client.address'] = peer;
  const ua = req.headers['user-agent'];
  if (ua !== undefined) attributes['user_agent.original'] = ua;
  return attributes;
}
