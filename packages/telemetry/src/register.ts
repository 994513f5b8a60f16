/**
 * `node --import @platform/telemetry/register app.js`: instruments a CommonJS or ESM
 * application without code changes. The import-in-the-middle loader hook is registered after
 * the SDK's own modules are loaded (so they are not wrapped) and before any instrumentation is
 * enabled (so the app's ESM imports are).
 */
import { register } from 'node:module';
import { initTelemetry } from './init-telemetry.js';

const disabled = process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
if (!disabled) {
  try {
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  } catch (error) {
    process.emitWarning(`@platform/telemetry: ESM loader hook not registered: ${String(error)}`);
  }
}
initTelemetry();
