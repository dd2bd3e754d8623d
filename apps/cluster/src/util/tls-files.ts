import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { InvalidArgumentError } from '@raftkit/core';

/**
 * PEM files named by command-line flags, read and checked at startup so that a bad file is an
 * error naming its flag and path, not a failed handshake later. `flag` is without dashes.
 */
export function readTlsFile(flag: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (cause) {
    throw new InvalidArgumentError({
      argument: flag,
      message: `cannot read --${flag} ${file}: ${(cause as Error).message}`,
      cause,
    });
  }
}

/** Throws unless `cert` is a PEM certificate and `key` its private key. */
export function checkCertAndKey(
  cert: { flag: string; file: string; pem: Buffer },
  key: { flag: string; file: string; pem: Buffer },
): void {
  try {
    createSecureContext({ cert: cert.pem, key: key.pem });
  } catch (cause) {
    throw new InvalidArgumentError({
      argument: cert.flag,
      message: `--${cert.flag} ${cert.file} and --${key.flag} ${key.file} are not a PEM certificate and its matching private key: ${(cause as Error).message}`,
      cause,
    });
  }
}

/** Throws unless `pem` holds at least one certificate (createSecureContext accepts none). */
export function checkCa(flag: string, file: string, pem: Buffer): void {
  try {
    new X509Certificate(pem);
  } catch (cause) {
    throw new InvalidArgumentError({
      argument: flag,
      message: `--${flag} ${file} is not a PEM CA certificate: ${(cause as Error).message}`,
      cause,
    });
  }
}
