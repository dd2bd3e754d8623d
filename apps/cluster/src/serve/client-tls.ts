import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { checkCa, checkCertAndKey, readTlsFile } from '../util/tls-files.js';
import type { ClientSecurity } from './config.js';

/**
 * The https.Server options of a TLS client listener: PEM material read once at startup.
 * `requestCert` means client certificates are required: the handshake verifies them against
 * `ca`, and the server refuses every request on a connection whose certificate is missing or
 * did not verify (see `refuseUnverifiedClient`).
 */
export type ClientTlsOptions = Pick<
  ServerOptions,
  'cert' | 'key' | 'ca' | 'requestCert' | 'rejectUnauthorized'
>;

/**
 * Reads the client listener's certificate, key and CA (undefined for plain HTTP) and checks
 * that they form a usable TLS context (PEM that parses, a key that matches the certificate, a
 * CA file with a certificate in it); throws InvalidArgumentError naming the flag and file.
 *
 * With a CA, clients must present a certificate that chains to it. The handshake verifies it
 * but does not abort (`rejectUnauthorized: false`): Node drops a connection whose certificate
 * failed verification without a TLS alert, so the client would only see ECONNRESET. Instead
 * the server answers the first request of such a connection with 401 saying why, and closes.
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
  return { cert, key, ca, requestCert: true, rejectUnauthorized: false };
}

/**
 * With client certificates required (`tls.requestCert`): when the request's connection did not
 * present a certificate that verified against the CA, answers 401 (gRPC code 16,
 * UNAUTHENTICATED, as etcd's gateway) saying why, closes the connection, and returns true. The
 * request then reaches nothing else: not the gateway, /health or /metrics.
 */
export function refuseUnverifiedClient(
  tls: ClientTlsOptions | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  if (tls?.requestCert !== true) return false;
  const socket = req.socket as TLSSocket;
  if (socket.authorized) return false;
  const presented = Object.keys(socket.getPeerCertificate() ?? {}).length > 0;
  const message = presented
    ? `client certificate not trusted (${String(socket.authorizationError)}): this server accepts only certificates signed by its --client-tls-ca; pass --cert and --key with one`
    : 'client certificate required: this server accepts only clients with a certificate signed by its --client-tls-ca; pass --cert and --key';
  const body = JSON.stringify({ error: message, code: 16, message });
  res.writeHead(401, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
  req.resume();
  return true;
}
