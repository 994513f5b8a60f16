/**
 * The UI bundle (built by scripts/bundle-ui.js into dist/ui), read once at start and served from
 * memory with a strict Content-Security-Policy: nothing but this server is ever contacted.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  readonly body: Buffer;
  readonly contentType: string;
}

const FILES: ReadonlyArray<[urlPath: string, file: string, contentType: string]> = [
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/app.js', 'app.js', 'text/javascript; charset=utf-8'],
  ['/app.css', 'app.css', 'text/css; charset=utf-8'],
];

/** dist/ui of this package, from src/http (tests) and dist/http alike. */
export const UI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/ui');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

export function loadUiAssets(dir: string = UI_DIR): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [urlPath, file, contentType] of FILES) {
    try {
      assets.set(urlPath, { body: readFileSync(path.join(dir, file)), contentType });
    } catch {
      throw new Error(`the platform dev UI is not built (${path.join(dir, file)} missing); run "npm run build"`);
    }
  }
  return assets;
}
