/**
 * Certificate verification failures Node reports with OpenSSL's X509 error name as the code:
 * the server's certificate does not chain to a CA this client trusts.
 */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
]);

/** OpenSSL alerts by which a server turns down the client's certificate or its absence. */
const CLIENT_CERT_REFUSED =
  /CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED|HANDSHAKE_FAILURE/;

/** The server answered with something that is not TLS: it serves plain HTTP. */
const NOT_TLS = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG']);

/**
 * A sentence saying what went wrong in a TLS handshake with `host`, and what to pass to fix it;
 * undefined when `error` is not a TLS failure. A TLS failure means the server processed no
 * request: the client refused the server before sending, or the server refused the client
 * before reading.
 */
export function describeTlsFailure(
  error: NodeJS.ErrnoException & { reason?: unknown },
  host: string,
): string | undefined {
  const code = error.code ?? '';
  const detail = typeof error.reason === 'string' ? error.reason : error.message;
  if (UNTRUSTED.has(code))
    return `the server's certificate is not trusted (${code}: ${error.message}); pass the CA that signed it with --cacert`;
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return `the server's certificate is outside its validity period (${code})`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH')
    return `the server's certificate does not name ${host} (${error.message}); use a host name or IP address the certificate lists`;
  if (NOT_TLS.has(code))
    return `the server does not speak TLS on this port (${detail}); use an http:// endpoint`;
  if (code.startsWith('ERR_SSL_') && CLIENT_CERT_REFUSED.test(code))
    return `the server refused the client certificate or its absence (${detail}); pass --cert and --key with a certificate signed by a CA the server trusts`;
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO')
    return `the TLS handshake failed (${code}: ${detail})`;
  return undefined;
}
