/**
 * Certificates made by the test with openssl: a CA and leaf certificates for 127.0.0.1/localhost
 * usable as server and client certificates, as an SRE provisions them for the collectors.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TestPki {
  readonly caFile: string;
  /** name -> certificate and key files. */
  readonly leaf: Record<string, { readonly certFile: string; readonly keyFile: string }>;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
}

/** A CA named `caName` in `dir` and one leaf certificate per name, signed by it. */
export function makeTestPki(dir: string, names: readonly string[], caName = 'ca'): TestPki {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', `${caName}.key`, '-out', `${caName}.crt`, '-days', '2', '-subj', `/CN=${caName}`], dir);
  const ext = path.join(dir, `${caName}-leaf.ext`);
  writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n');
  const leaf: Record<string, { certFile: string; keyFile: string }> = {};
  for (const name of names) {
    openssl(['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], dir);
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        `${caName}.crt`,
        '-CAkey',
        `${caName}.key`,
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        '-days',
        '2',
        '-extfile',
        ext,
      ],
      dir,
    );
    leaf[name] = { certFile: path.join(dir, `${name}.crt`), keyFile: path.join(dir, `${name}.key`) };
  }
  return { caFile: path.join(dir, `${caName}.crt`), leaf };
}
