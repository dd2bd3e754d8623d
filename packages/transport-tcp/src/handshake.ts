import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The handshake, after TCP (or TLS) connects and before any request:
 *
 *   client → HELLO     { v, cluster, from, to, nonce }
 *   server → CHALLENGE { v, cluster, from, nonce, proof? }   or REJECT { reason }
 *   client → AUTH      { proof? }
 *   server → WELCOME   {}                                   or REJECT { reason }
 *
 * With a shared secret each side proves it holds the secret by an
 * HMAC-SHA256 over both fresh nonces and both node ids (the server first, so
 * a client never answers an impostor); the secret never crosses the wire and
 * a recorded proof is useless with new nonces. The server checks the cluster
 * id, that `from` is an accepted node id and that `to` names itself. Nonces
 * come from node:crypto (security, not simulation: never the injected rng).
 */

export const PROTOCOL_VERSION = 1;
export const NONCE_BYTES = 32;
/** Largest handshake frame accepted before authentication (bytes). */
export const MAX_HANDSHAKE_FRAME_BYTES = 1024;

export type RejectReason =
  | 'version'
  | 'cluster'
  | 'unknown-node'
  | 'wrong-node'
  | 'auth'
  | 'protocol'
  | 'busy';

export interface Hello {
  v: number;
  cluster: string;
  from: string;
  to: string;
  nonce: Uint8Array;
}

export interface Challenge {
  v: number;
  cluster: string;
  from: string;
  nonce: Uint8Array;
  proof?: Uint8Array;
}

export interface Auth {
  proof?: Uint8Array;
}

export function newNonce(): Buffer {
  return randomBytes(NONCE_BYTES);
}

const SERVER_LABEL = 'raftkit-tcp/1 server';
const CLIENT_LABEL = 'raftkit-tcp/1 client';

/** The proof `role` sends: HMAC(secret, label ‖ cluster ‖ server ‖ client ‖ clientNonce ‖ serverNonce). */
export function proof(
  role: 'server' | 'client',
  secret: Buffer,
  p: {
    cluster: string;
    server: string;
    client: string;
    clientNonce: Uint8Array;
    serverNonce: Uint8Array;
  },
): Buffer {
  // Ids never contain NUL (checked on both sides) and nonces have a fixed length: unambiguous.
  return createHmac('sha256', secret)
    .update(role === 'server' ? SERVER_LABEL : CLIENT_LABEL)
    .update('\0')
    .update(p.cluster)
    .update('\0')
    .update(p.server)
    .update('\0')
    .update(p.client)
    .update('\0')
    .update(p.clientNonce)
    .update(p.serverNonce)
    .digest();
}

/** Constant-time comparison of a received proof with the expected one. */
export function proofMatches(expected: Buffer, received: Uint8Array | undefined): boolean {
  return (
    received !== undefined &&
    received.length === expected.length &&
    timingSafeEqual(expected, received)
  );
}

const ID = /^[A-Za-z0-9._-]{1,64}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

function isNonce(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === NONCE_BYTES;
}

function isOptionalProof(value: unknown): value is Uint8Array | undefined {
  return (
    value === undefined || value === null || (value instanceof Uint8Array && value.length === 32)
  );
}

/** A HELLO's fields, or a description of what is wrong with it. */
export function parseHello(value: unknown): Hello | string {
  if (!isRecord(value)) return 'hello is not a map';
  if (value.v !== PROTOCOL_VERSION) return `protocol version ${String(value.v)} unsupported`;
  if (!isId(value.cluster) || !isId(value.from) || !isId(value.to)) return 'hello has a bad id';
  if (!isNonce(value.nonce)) return 'hello has a bad nonce';
  return { v: value.v, cluster: value.cluster, from: value.from, to: value.to, nonce: value.nonce };
}

export function parseChallenge(value: unknown): Challenge | string {
  if (!isRecord(value)) return 'challenge is not a map';
  if (value.v !== PROTOCOL_VERSION) return `protocol version ${String(value.v)} unsupported`;
  if (!isId(value.cluster) || !isId(value.from)) return 'challenge has a bad id';
  if (!isNonce(value.nonce)) return 'challenge has a bad nonce';
  if (!isOptionalProof(value.proof)) return 'challenge has a bad proof';
  return {
    v: value.v,
    cluster: value.cluster,
    from: value.from,
    nonce: value.nonce,
    ...(value.proof instanceof Uint8Array ? { proof: value.proof } : {}),
  };
}

export function parseAuth(value: unknown): Auth | string {
  if (!isRecord(value)) return 'auth is not a map';
  if (!isOptionalProof(value.proof)) return 'auth has a bad proof';
  return value.proof instanceof Uint8Array ? { proof: value.proof } : {};
}

export function parseReject(value: unknown): string {
  if (isRecord(value) && typeof value.reason === 'string') return value.reason.slice(0, 64);
  return 'unspecified';
}
