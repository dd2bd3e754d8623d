import type { Bin } from './store/bin.js';
import type { BinRequest } from './store/types.js';

/**
 * What a key/value server puts in the Raft log. Encoded as a short tuple so
 * that log entries stay small (the lab bounds the Raft state in bytes). Keys
 * and values are byte strings (see store/bin.ts).
 */
export type KvCommand =
  | { kind: 'put'; clientId: string; seq: number; key: Bin; value: Bin }
  | { kind: 'append'; clientId: string; seq: number; key: Bin; value: Bin }
  | { kind: 'get'; clientId: string; seq: number; key: Bin }
  /** Any etcd-model request; clientId "" and seq 0 for an anonymous (HTTP) request. */
  | { kind: 'exec'; clientId: string; seq: number; request: BinRequest }
  /** Commits an entry of the leader's term so ReadIndex can serve reads; changes nothing. */
  | { kind: 'noop' };

const PUT = 1;
const APPEND = 2;
const GET = 3;
const NOOP = 4;
const EXEC = 5;

/** The tuple stored in the log: [kind, clientId, seq, key | request, value?]. */
export type EncodedCommand = [number, string?, number?, (string | BinRequest)?, string?];

export function encodeCommand(command: KvCommand): EncodedCommand {
  switch (command.kind) {
    case 'put':
      return [PUT, command.clientId, command.seq, command.key, command.value];
    case 'append':
      return [APPEND, command.clientId, command.seq, command.key, command.value];
    case 'get':
      return [GET, command.clientId, command.seq, command.key];
    case 'exec':
      return [EXEC, command.clientId, command.seq, command.request];
    case 'noop':
      return [NOOP];
  }
}

/** Decodes a log entry's command; returns undefined for anything this server did not write. */
export function decodeCommand(raw: unknown): KvCommand | undefined {
  if (!Array.isArray(raw)) return undefined;
  const [kind, clientId, seq, key, value] = raw as unknown[];
  if (kind === NOOP) return { kind: 'noop' };
  if (typeof clientId !== 'string' || typeof seq !== 'number') return undefined;
  if (kind === EXEC) {
    if (typeof key !== 'object' || key === null || typeof (key as { op?: unknown }).op !== 'string')
      return undefined;
    return { kind: 'exec', clientId, seq, request: key as BinRequest };
  }
  if (typeof key !== 'string') return undefined;
  if (kind === GET) return { kind: 'get', clientId, seq, key };
  if (typeof value !== 'string') return undefined;
  if (kind === PUT) return { kind: 'put', clientId, seq, key, value };
  if (kind === APPEND) return { kind: 'append', clientId, seq, key, value };
  return undefined;
}

/**
 * A 32-bit FNV-1a fingerprint of what a write asks for (not who asks), so a
 * retry (same clientId, seq and content) is told apart from another clerk
 * reusing the id (same clientId and seq, other content).
 */
export function fingerprint(command: KvCommand): number {
  switch (command.kind) {
    case 'put':
    case 'append':
      return fnv(`${command.kind}\0${command.key}\0${command.value}`);
    case 'exec':
      return fnv(`exec\0${JSON.stringify(command.request)}`);
    default:
      return 0;
  }
}

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
