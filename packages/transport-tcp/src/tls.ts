import { readFileSync } from 'node:fs';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { InvalidArgumentError } from '@raftkit/core';
import type { TlsFiles } from './options.js';

/** The PEM material of mutual TLS, read once. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
}

export function loadTls(files: TlsFiles): TlsMaterial {
  const read = (key: keyof TlsFiles) => {
    try {
      return readFileSync(files[key]);
    } catch (cause) {
      throw new InvalidArgumentError({
        argument: `auth.tls.${key}`,
        message: `cannot read auth.tls.${key} (${files[key]}): ${(cause as Error).message}`,
        cause,
      });
    }
  };
  return { cert: read('certFile'), key: read('keyFile'), ca: read('caFile') };
}

/** The names a certificate vouches for: its subject CN and its DNS subject alternative names. */
export function certificateNames(cert: PeerCertificate | undefined): string[] {
  if (cert === undefined || cert === null) return [];
  const names: string[] = [];
  const cn = cert.subject?.CN;
  if (typeof cn === 'string') names.push(cn);
  else if (Array.isArray(cn)) names.push(...(cn as string[]));
  for (const part of (cert.subjectaltname ?? '').split(',')) {
    const trimmed = part.trim();
    if (trimmed.startsWith('DNS:')) names.push(trimmed.slice(4));
  }
  return names;
}

/** True when the TLS peer's (already chain-verified) certificate names `nodeId`. */
export function peerCertificateNames(socket: TLSSocket, nodeId: string): boolean {
  return certificateNames(socket.getPeerCertificate()).includes(nodeId);
}
