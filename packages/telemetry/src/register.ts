/**
 * `node --import @platform/telemetry/register app.js`: instruments a CommonJS or ESM
 * application without code changes. For an ESM entry point the import-in-the-middle loader
 * hook is registered after the SDK's own modules are loaded (so they are not wrapped) and
 * before any instrumentation is enabled (so the app's ESM imports are); a CommonJS entry
 * point does without it (see needsEsmLoaderHook).
 */
import { register } from 'node:module';
import { resolveDisabled } from './config/resolve-config.js';
import { initTelemetry } from './init-telemetry.js';
import { needsEsmLoaderHook } from './loader/needs-esm-loader-hook.js';

// Read as initTelemetry() reads it; an invalid value is warned about there, once.
const disabled = resolveDisabled(process.env, {}, () => {});
const hook = needsEsmLoaderHook({
  script: process.argv[1],
  execArgv: process.execArgv,
  override: process.env.PLATFORM_ESM_LOADER_HOOK,
});
if (!disabled && hook) {
  try {
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  } catch (error) {
    process.emitWarning(`@platform/telemetry: ESM loader hook not registered: ${String(error)}`);
  }
}
initTelemetry();
