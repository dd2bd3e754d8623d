/**
 * What a key/value server puts in the Raft log. Encoded as a short tuple so
 * that log entries stay small (the lab bounds the Raft state in bytes).
 */
export type KvCommand =
  | { kind: 'put'; clientId: string; seq: number; key: string; value: string }
  | { kind: 'append'; clientId: string; seq: number; key: string; value: string }
  | { kind: 'get'; clientId: string; seq: number; key: string }
  /** Commits an entry of the leader's term so ReadIndex can serve reads; changes nothing. */
  | { kind: 'noop' };

const PUT = 1;
const APPEND = 2;
const GET = 3;
const NOOP = 4;

/** The tuple stored in the log: [kind, clientId, seq, key, value?]. */
export type EncodedCommand = [number, string?, number?, string?, string?];

export function encodeCommand(command: KvCommand): EncodedCommand {
  switch (command.kind) {
    case 'put':
      return [PUT, command.clientId, command.seq, command.key, command.value];
    case 'append':
      return [APPEND, command.clientId, command.seq, command.key, command.value];
    case 'get':
      return [GET, command.clientId, command.seq, command.key];
    case 'noop':
      return [NOOP];
  }
}

/** Decodes a log entry's command; returns undefined for anything this server did not write. */
export function decodeCommand(raw: unknown): KvCommand | undefined {
  if (!Array.isArray(raw)) return undefined;
  const [kind, clientId, seq, key, value] = raw as unknown[];
  if (kind === NOOP) return { kind: 'noop' };
  if (typeof clientId !== 'string' || typeof seq !== 'number' || typeof key !== 'string')
    return undefined;
  if (kind === GET) return { kind: 'get', clientId, seq, key };
  if (typeof value !== 'string') return undefined;
  if (kind === PUT) return { kind: 'put', clientId, seq, key, value };
  if (kind === APPEND) return { kind: 'append', clientId, seq, key, value };
  return undefined;
}
