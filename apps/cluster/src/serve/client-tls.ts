import type { ServerOptions } from 'node:https';
import { checkCa, checkCertAndKey, readTlsFile } from '../util/tls-files.js';
import type { ClientSecurity } from './config.js';

/** The https.Server options of a TLS client listener: PEM material read once at startup. */
export type ClientTlsOptions = Pick<
  ServerOptions,
  'cert' | 'key' | 'ca' | 'requestCert' | 'rejectUnauthorized'
>;

/**
 * Reads the client listener's certificate, key and CA (undefined for plain HTTP) and checks
 * that they form a usable TLS context (PEM that parses, a key that matches the certificate, a
 * CA file with a certificate in it); throws InvalidArgumentError naming the flag and file.
 * With a CA, clients must present a certificate that chains to it (`requestCert` and
 * `rejectUnauthorized`: the handshake fails otherwise, before any request is read).
 */
export function loadClientTls(security: ClientSecurity): ClientTlsOptions | undefined {
  if (security.kind === 'plain') return undefined;
  const cert = readTlsFile('client-tls-cert', security.certFile);
  const key = readTlsFile('client-tls-key', security.keyFile);
  checkCertAndKey(
    { flag: 'client-tls-cert', file: security.certFile, pem: cert },
    { flag: 'client-tls-key', file: security.keyFile, pem: key },
  );
  if (security.kind === 'tls') return { cert, key };
  const ca = readTlsFile('client-tls-ca', security.caFile);
  checkCa('client-tls-ca', security.caFile, ca);
  return { cert, key, ca, requestCert: true, rejectUnauthorized: true };
}
