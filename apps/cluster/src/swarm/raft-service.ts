import { msgpackCodec } from '@raftkit/codec';
import type { Clock, Rng } from '@raftkit/core';
import type { ApplyMsg, RaftPeer } from '@raftkit/raft';
import type { RaftInvariants } from './invariants.js';

/** 32-bit FNV-1a step over a string, chained from `h`. */
export function chain(h: number, text: string): number {
  let x = h ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) x = Math.imul(x ^ text.charCodeAt(i), 0x01000193);
  return x >>> 0;
}

/**
 * What every peer of a Raft-level swarm run applied, across all incarnations:
 * the command at each index and the state hash after it. Two peers that
 * applied the same index must agree on both (state machine safety).
 */
export class AppliedRecord {
  readonly commands: (string | undefined)[] = [undefined];
  readonly hashes: (number | undefined)[] = [0];
  /** Highest index applied anywhere. */
  maxApplied = 0;
}

/**
 * The replicated service of a Raft-level swarm run: its state is a hash chain
 * of the applied commands. Checks that applies come in index order without
 * gaps in each incarnation and agree with every other peer's; snapshots every
 * `snapshotEvery` entries (the snapshot is [index, hash]).
 */
export class ChainService {
  lastApplied = 0;
  hash = 0;
  raft: RaftPeer<string> | undefined;

  constructor(
    private readonly i: number,
    private readonly record: AppliedRecord,
    private readonly inv: RaftInvariants,
    private readonly snapshotEvery: number,
    snapshot: Uint8Array,
    private readonly snapshotLag?: { clock: Clock; rng: Rng },
  ) {
    if (snapshot.length > 0) {
      const [index, hash] = msgpackCodec.decode(snapshot) as [number, number];
      this.agree(index, hash, 'restored snapshot');
      this.lastApplied = index;
      this.hash = hash;
    }
  }

  private agree(index: number, hash: number, what: string): void {
    const known = this.record.hashes[index];
    if (known === undefined) {
      while (this.record.hashes.length <= index) this.record.hashes.push(undefined);
      this.record.hashes[index] = hash;
    } else if (known !== hash) {
      this.inv.fail(
        'state-divergence',
        `peer ${this.i}'s state after index ${index} (${what}) differs from another peer's`,
      );
    }
  }

  apply(msg: ApplyMsg<string>): void {
    if (!this.inv.active) return;
    if (msg.kind === 'snapshot') {
      if (msg.index <= this.lastApplied) {
        this.inv.fail(
          'apply-order',
          `peer ${this.i} was given a snapshot at ${msg.index} after applying ${this.lastApplied}`,
        );
      }
      const [index, hash] = msgpackCodec.decode(msg.snapshot) as [number, number];
      if (index !== msg.index)
        this.inv.fail(
          'apply-order',
          `snapshot message index ${msg.index} ≠ its content's ${index}`,
        );
      this.agree(index, hash, 'installed snapshot');
      this.lastApplied = index;
      this.hash = hash;
      return;
    }
    if (msg.index !== this.lastApplied + 1) {
      this.inv.fail(
        'apply-order',
        `peer ${this.i} applied index ${msg.index} after ${this.lastApplied} (gap or repeat)`,
      );
    }
    const rec = this.record;
    // An election no-op (noopOnElection) is an entry like any other for agreement.
    const command = msg.kind === 'noop' ? '<noop>' : msg.command;
    while (rec.commands.length <= msg.index) rec.commands.push(undefined);
    const known = rec.commands[msg.index];
    if (known === undefined) rec.commands[msg.index] = command;
    else if (known !== command) {
      this.inv.fail(
        'state-machine-safety',
        `peer ${this.i} applied ${JSON.stringify(command)} at ${msg.index}, another peer ${JSON.stringify(known)}`,
      );
    }
    this.hash = chain(this.hash, command);
    this.lastApplied = msg.index;
    this.agree(msg.index, this.hash, 'applied command');
    if (msg.index > rec.maxApplied) rec.maxApplied = msg.index;
    if (this.snapshotEvery > 0 && msg.index % this.snapshotEvery === 0) {
      const data = msgpackCodec.encode([msg.index, this.hash]);
      const index = msg.index;
      if (this.snapshotLag === undefined) this.raft?.snapshot(index, data);
      else {
        // A service that snapshots in the background, a little after the apply.
        const raft = this.raft;
        this.snapshotLag.clock.setTimer(this.snapshotLag.rng.float() * 5, () => {
          if (raft !== undefined && !raft.killed) raft.snapshot(index, data);
        });
      }
    }
  }
}
