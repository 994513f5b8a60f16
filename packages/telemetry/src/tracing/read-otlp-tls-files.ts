import { readFileSync } from 'node:fs';
import { diag } from '@opentelemetry/api';
import type { OtlpTlsFiles } from '../config/telemetry-config.js';

/**
 * Reads the PEM files named by OTEL_EXPORTER_OTLP_*CERTIFICATE / *CLIENT_KEY when an exporter is
 * created. A file that cannot be read is reported (by path, never by content) and left out: the
 * export then fails its TLS handshake and is counted like any other failed export, the host runs on.
 */
export function readOtlpTlsFiles(files: OtlpTlsFiles): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  const read = (file: string | undefined, what: string): Buffer | undefined => {
    if (!file) return undefined;
    try {
      return readFileSync(file);
    } catch (error) {
      diag.warn(`@platform/telemetry: cannot read the OTLP ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); exporting without it`);
      return undefined;
    }
  };
  const ca = read(files.caFile, 'CA certificate');
  const cert = read(files.certFile, 'client certificate');
  const key = read(files.keyFile, 'client key');
  return { ...(ca ? { ca } : {}), ...(cert && key ? { cert, key } : {}) };
}
