/**
 * The OTLP/HTTP receiver: POST /v1/traces, /v1/logs, /v1/metrics as protobuf or JSON, gzip or
 * not. Answers as the spec says: 200 with an empty Export*ServiceResponse, 400 with a
 * google.rpc.Status for a body that does not decode, 413 over the size limit, 415 for another
 * content type or encoding. A decode failure never reaches the process.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import protobuf from 'protobufjs';
import type { Signal } from '../model.js';
import { decodeOtlpRequest, encodingOf, OtlpDecodeError, type OtlpEncoding } from '../otlp/decode-request.js';
import { RPC_STATUS_SCHEMA } from '../otlp/proto-schema.js';
import type { Forwarder } from '../forward/forwarder.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { BodyError, decodeContentEncoding, readBody } from './read-body.js';

const SIGNAL_PATHS: Readonly<Record<string, Signal>> = { '/v1/traces': 'traces', '/v1/logs': 'logs', '/v1/metrics': 'metrics' };
const RpcStatus = protobuf.parse(RPC_STATUS_SCHEMA).root.lookupType('rpc.Status');
/** google.rpc.Code INVALID_ARGUMENT. */
const INVALID_ARGUMENT = 3;

export interface OtlpHandlerOptions {
  readonly store: TelemetryStore;
  readonly maxBodyBytes: number;
  readonly forwarder?: Forwarder | undefined;
}

export interface ReceiverCounters {
  accepted: number;
  rejected: number;
}

export function createOtlpHandler(options: OtlpHandlerOptions, counters: ReceiverCounters): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const signal = SIGNAL_PATHS[(req.url ?? '').split('?', 1)[0] as string];
    if (signal === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: OTLP/HTTP paths are /v1/traces, /v1/logs, /v1/metrics\n');
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end('POST only\n');
      return;
    }
    const contentType = String(req.headers['content-type'] ?? '');
    const encoding = encodingOf(contentType);
    if (encoding === undefined) {
      req.resume();
      counters.rejected++;
      fail(res, 'json', 415, `unsupported content-type ${JSON.stringify(contentType)} (application/x-protobuf or application/json)`);
      return;
    }
    void receive(req, signal, encoding, options).then(
      () => {
        counters.accepted++;
        if (encoding === 'json') res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      },
      (error: unknown) => {
        counters.rejected++;
        if (error instanceof BodyError) fail(res, encoding, error.status, error.message);
        else if (error instanceof OtlpDecodeError) fail(res, encoding, 400, error.message);
        else fail(res, encoding, 500, `internal error: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  };
}

async function receive(req: IncomingMessage, signal: Signal, encoding: OtlpEncoding, options: OtlpHandlerOptions): Promise<void> {
  const wire = await readBody(req, options.maxBodyBytes);
  const contentEncoding = req.headers['content-encoding'];
  const body = await decodeContentEncoding(wire, contentEncoding, options.maxBodyBytes);
  const batch = decodeOtlpRequest(signal, encoding, body);
  options.store.ingest(batch);
  options.forwarder?.offer({ signal, body: wire, contentType: String(req.headers['content-type']), contentEncoding });
}

function fail(res: ServerResponse, encoding: OtlpEncoding, status: number, message: string): void {
  if (res.headersSent) return;
  if (encoding === 'protobuf') {
    const body = RpcStatus.encode(RpcStatus.create({ code: INVALID_ARGUMENT, message })).finish();
    res.writeHead(status, { 'content-type': 'application/x-protobuf' }).end(Buffer.from(body));
  } else {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ code: INVALID_ARGUMENT, message }));
  }
}
