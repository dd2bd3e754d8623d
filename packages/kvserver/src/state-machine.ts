import { msgpackCodec } from '@raftkit/codec';
import type { KvErr } from '@raftkit/kv-protocol';
import { fingerprint, type KvCommand } from './command.js';
import type { Bin } from './store/bin.js';
import { ByteReader } from './store/byte-reader.js';
import { ByteWriter, varintSize } from './store/byte-writer.js';
import { applyRequest } from './store/apply-request.js';
import { KvStore } from './store/kv-store.js';
import { readStore, storeHash, storeSize, writeStore } from './store/store-codec.js';
import type { BinResult } from './store/types.js';

/** What a write answered, kept so that a retry gets the same answer. */
export interface StoredReply {
  err: KvErr;
  result?: BinResult;
}

/** The result of applying one command. */
export interface ApplyOutcome extends StoredReply {
  /** For a Get: the value read (undefined: missing key). */
  value?: Bin;
  /** True when the write was a retry of one already executed, and was skipped. */
  duplicate: boolean;
}

/** One clerk's latest executed write. */
interface ClientRecord {
  seq: number;
  fp: number;
  reply: StoredReply;
}

/** How a clerk's write relates to the duplicate table. */
export type DedupVerdict =
  | { kind: 'new' }
  | { kind: 'done'; reply: StoredReply }
  /** An older seq, or the same seq with other content: another clerk uses this id. */
  | { kind: 'in-use' };

/** Magic of the snapshot format ("RKS1"). */
const MAGIC = [0x52, 0x4b, 0x53, 0x31];

/**
 * The replicated key/value state: the store (etcd's model) and the duplicate
 * table (per clerk: the latest executed seq, a fingerprint of that request,
 * and its reply). Invariant: a clerk write with seq ≤ its table entry is
 * never executed again (exactly-once); the table has one entry per clerk,
 * so memory does not grow with requests. Anonymous writes (clientId "")
 * bypass the table, as etcd's do.
 */
export class KvStateMachine {
  private store: KvStore;
  private clients = new Map<string, ClientRecord>();

  constructor(private readonly retainRevisions = 0) {
    this.store = new KvStore(retainRevisions);
  }

  apply(command: KvCommand): ApplyOutcome {
    switch (command.kind) {
      case 'noop':
        return { err: 'OK', duplicate: false };
      case 'get':
        return { err: 'OK', value: this.store.latest(command.key)?.value, duplicate: false };
      default: {
        const anonymous = command.clientId === '';
        const fp = anonymous ? 0 : fingerprint(command);
        if (!anonymous) {
          const verdict = this.dedup(command.clientId, command.seq, fp);
          if (verdict.kind === 'done') return outcomeOf(verdict.reply, true);
          if (verdict.kind === 'in-use') return { err: 'ErrClientIdInUse', duplicate: false };
        }
        const request =
          command.kind === 'exec'
            ? command.request
            : command.kind === 'put'
              ? { op: 'put' as const, key: command.key, value: command.value }
              : { op: 'append' as const, key: command.key, value: command.value };
        const reply: StoredReply = applyRequest(this.store, request);
        if (!anonymous) this.clients.set(command.clientId, { seq: command.seq, fp, reply });
        return outcomeOf(reply, false);
      }
    }
  }

  /** Where a clerk's write stands against the duplicate table. */
  dedup(clientId: string, seq: number, fp: number): DedupVerdict {
    const record = this.clients.get(clientId);
    if (record === undefined || seq > record.seq) return { kind: 'new' };
    if (seq === record.seq && fp === record.fp) return { kind: 'done', reply: record.reply };
    return { kind: 'in-use' };
  }

  /** The reply of a clerk's write if it was executed; `{ err: 'OK' }` for an older one. */
  executedReply(clientId: string, seq: number): StoredReply | undefined {
    const record = this.clients.get(clientId);
    if (record === undefined || record.seq < seq) return undefined;
    return record.seq === seq ? record.reply : { err: 'OK' };
  }

  /** The live value of `key`, or undefined. */
  get(key: Bin): Bin | undefined {
    return this.store.latest(key)?.value;
  }

  /** The store (reads only: every change goes through `apply`). */
  get kv(): KvStore {
    return this.store;
  }

  /** Number of clerks in the duplicate table. */
  get clientCount(): number {
    return this.clients.size;
  }

  /** SHA-256 of the store's content (see storeHash). */
  hash(): string {
    return storeHash(this.store);
  }

  /**
   * Encodes the store and the duplicate table as of log index `index`, in
   * time and bytes linear in their content.
   */
  snapshot(index: number): Uint8Array {
    const table = msgpackCodec.encode([...this.clients].map(([id, r]) => encodeRecord(id, r)));
    const size =
      MAGIC.length +
      varintSize(index) +
      storeSize(this.store) +
      varintSize(table.length) +
      table.length;
    const w = new ByteWriter(size);
    for (const b of MAGIC) w.varint(b);
    w.varint(index);
    writeStore(w, this.store);
    w.bytes(table);
    return w.finish();
  }

  /**
   * Replaces the whole state with a snapshot's and returns the log index it
   * covers; an empty snapshot means the initial state at index 0.
   */
  restore(bytes: Uint8Array): number {
    if (bytes.length === 0) {
      this.store = new KvStore(this.retainRevisions);
      this.clients = new Map();
      return 0;
    }
    if (MAGIC.some((b, i) => bytes[i] !== b)) {
      throw new Error(
        'not a raftkit key/value snapshot (bad magic): was it written by another version?',
      );
    }
    const r = new ByteReader(bytes);
    r.pos = MAGIC.length;
    const index = r.varint();
    const store = readStore(r, this.retainRevisions);
    const table = msgpackCodec.decode(r.bytes()) as EncodedRecord[];
    this.store = store;
    this.clients = new Map(table.map(decodeRecord));
    return index;
  }
}

/** A duplicate-table entry in the snapshot: plain put/append replies shrink to their revision. */
type EncodedRecord = [string, number, number, KvErr | 'put' | 'append', (BinResult | number)?];

function encodeRecord(id: string, r: ClientRecord): EncodedRecord {
  const { err, result } = r.reply;
  if (err === 'OK' && (result?.op === 'put' || result?.op === 'append') && !('prevKv' in result))
    return [id, r.seq, r.fp, result.op, result.revision];
  return result === undefined ? [id, r.seq, r.fp, err] : [id, r.seq, r.fp, err, result];
}

function decodeRecord([id, seq, fp, tag, data]: EncodedRecord): [string, ClientRecord] {
  if (tag === 'put' || tag === 'append') {
    return [id, { seq, fp, reply: { err: 'OK', result: { op: tag, revision: data as number } } }];
  }
  const reply: StoredReply =
    data === undefined ? { err: tag } : { err: tag, result: data as BinResult };
  return [id, { seq, fp, reply }];
}

/** `reply` with `duplicate` set, built without a spread (V8's slow path; this runs per applied write). */
function outcomeOf(reply: StoredReply, duplicate: boolean): ApplyOutcome {
  return reply.result === undefined
    ? { err: reply.err, duplicate }
    : { err: reply.err, result: reply.result, duplicate };
}
