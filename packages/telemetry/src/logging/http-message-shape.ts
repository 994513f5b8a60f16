import { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';

/**
 * A bounded, plain view of a node:http message logged as a field (`logger.info({ req })`,
 * an axios error's `err.request`): what identifies the exchange, without the socket, parser,
 * agent and raw header block (`ClientRequest._header` holds `Authorization: ...` in clear)
 * that serializing the object itself would print. Header values still go through the
 * redactor's name rules; undefined for anything that is not an HTTP message.
 */
export function httpMessageShape(value: object): Record<string, unknown> | undefined {
  if (value instanceof IncomingMessage) {
    const shape: Record<string, unknown> = {};
    if (value.method != null) shape.method = value.method;
    if (value.url != null) shape.url = value.url;
    if (value.statusCode != null) shape.statusCode = value.statusCode;
    shape.httpVersion = value.httpVersion;
    shape.headers = { ...value.headers };
    const socket = value.socket as IncomingMessage['socket'] | null;
    if (socket?.remoteAddress !== undefined) {
      shape.remoteAddress = socket.remoteAddress;
      shape.remotePort = socket.remotePort;
    }
    return shape;
  }
  if (value instanceof ClientRequest) {
    return { method: value.method, host: value.host, path: value.path, headers: value.getHeaders() };
  }
  if (value instanceof ServerResponse) {
    return { statusCode: value.statusCode, headers: value.getHeaders() };
  }
  return undefined;
}
