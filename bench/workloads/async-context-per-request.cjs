// @ts-check
'use strict';
/**
 * Preload (`node --require`) for the instruction counter's `bare+context` variant: every request
 * of node:http servers runs inside `AsyncLocalStorage.run`, as OpenTelemetry's context manager
 * runs it, and nothing else. It prices Node's async context propagation on its own (on Node 20
 * AsyncLocalStorage is built on async_hooks), the part of any tracer's cost no SDK code can remove.
 */
const { AsyncLocalStorage } = require('node:async_hooks');
const http = require('node:http');

const storage = new AsyncLocalStorage();
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitInContext(event, ...args) {
  if (event === 'request') return storage.run({ request: args[0] }, () => emit.call(this, event, ...args));
  return emit.call(this, event, ...args);
};
