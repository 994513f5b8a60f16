// @ts-check
/** How each compared variant starts a Node process: nothing, the upstream register, ours. */
export const START_FLAGS = Object.freeze({
  bare: [],
  upstream: ['--import', '@opentelemetry/auto-instrumentations-node/register'],
  platform: ['--import', '@platform/telemetry/register'],
});
