import { msgpackCodec } from '@raftkit/codec';
import type { Codec } from '@raftkit/core';
import type { KvCommand } from './command.js';

/** The result of applying one command. */
export interface ApplyOutcome {
  /** For a Get: the value read. For writes: "". */
  value: string;
  /** True when the write was a duplicate of one already executed, and was skipped. */
  duplicate: boolean;
}

/**
 * The replicated key/value state: the store and, per clerk, the sequence
 * number of its latest executed write. Invariant: a write with
 * seq ≤ lastSeq[clientId] is never executed again (exactly-once), and the
 * table has one entry per clerk, so memory does not grow with requests.
 */
export class KvStateMachine {
  private store = new Map<string, string>();
  private lastSeq = new Map<string, number>();

  constructor(private readonly codec: Codec = msgpackCodec) {}

  apply(command: KvCommand): ApplyOutcome {
    switch (command.kind) {
      case 'noop':
        return { value: '', duplicate: false };
      case 'get':
        return { value: this.store.get(command.key) ?? '', duplicate: false };
      case 'put':
      case 'append': {
        if (this.isExecuted(command.clientId, command.seq)) return { value: '', duplicate: true };
        const value =
          command.kind === 'put'
            ? command.value
            : (this.store.get(command.key) ?? '') + command.value;
        this.store.set(command.key, value);
        this.lastSeq.set(command.clientId, command.seq);
        return { value: '', duplicate: false };
      }
    }
  }

  /** Whether the clerk's write `seq` (or a later one) has already been executed. */
  isExecuted(clientId: string, seq: number): boolean {
    return (this.lastSeq.get(clientId) ?? 0) >= seq;
  }

  get(key: string): string {
    return this.store.get(key) ?? '';
  }

  /**
   * A 32-bit digest of the store and the duplicate table, independent of
   * insertion order: replicas that applied the same prefix of the log have
   * equal digests (tests compare them). O(size of the state).
   */
  digest(): number {
    let sum = 0;
    for (const [key, value] of this.store) sum = (sum + mix(1, key, value)) | 0;
    for (const [client, seq] of this.lastSeq) sum = (sum + mix(2, client, String(seq))) | 0;
    return sum >>> 0;
  }

  /** Number of clerks in the duplicate table. */
  get clientCount(): number {
    return this.lastSeq.size;
  }

  /** Encodes the store and the duplicate table as of log index `index`. */
  snapshot(index: number): Uint8Array {
    return this.codec.encode([index, [...this.store], [...this.lastSeq]]);
  }

  /**
   * Replaces the whole state with a snapshot's and returns the log index it
   * covers; an empty snapshot means the initial state at index 0.
   */
  restore(bytes: Uint8Array): number {
    if (bytes.length === 0) {
      this.store = new Map();
      this.lastSeq = new Map();
      return 0;
    }
    const [index, store, lastSeq] = this.codec.decode(bytes) as [
      number,
      [string, string][],
      [string, number][],
    ];
    this.store = new Map(store);
    this.lastSeq = new Map(lastSeq);
    return index;
  }
}

/** FNV-1a over (tag, a, b) with separators, finalised. */
function mix(tag: number, a: string, b: string): number {
  let h = 0x811c9dc5 ^ tag;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ 0xff, 0x01000193);
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d);
}
