import { msgpackCodec as snapshotCodec } from '@raftkit/codec';
import type { Rng } from '@raftkit/core';
import type { SimNetwork, Simulation } from '@raftkit/labrpc';
import type { ApplyMsg, RaftConfig, RaftPeer } from '@raftkit/raft';
import { type SimRaftCluster, simRaftCluster } from '@raftkit/raft/testing';
import { harnessStorageFactory } from '../harness-storage.js';
import { LabTestFailure, type LabSummary } from '../lab/lab-test.js';
import { applyCommand, applySnapshotMsg } from './appliers.js';

/** The lab's constants (config.go / test_test.go), in virtual ms. */
export const RAFT_ELECTION_TIMEOUT = 1000;
export const SNAPSHOT_INTERVAL = 10;
export const MAX_LOG_SIZE = 2000;
/** checkTimeout: a test fails when it runs longer than this from make_config. */
export const TEST_TIME_LIMIT = 120_000;

/** Raft options the harness gives every peer (env RAFTKIT_PREVOTE / RAFTKIT_CHECKQUORUM turn the extras on). */
export function harnessRaftOptions(env: NodeJS.ProcessEnv = process.env): Partial<RaftConfig> {
  return { preVote: env.RAFTKIT_PREVOTE === '1', checkQuorum: env.RAFTKIT_CHECKQUORUM === '1' };
}

/**
 * The lab's Raft tester (config.go) in virtual time: `n` peers of a
 * `SimRaftCluster` (@raftkit/raft/testing) with long delays, storage copied at
 * every restart, per-peer apply logs checked on every apply, and the checks
 * the tests use (checks.ts).
 */
export class RaftHarness {
  readonly cluster: SimRaftCluster;
  readonly net: SimNetwork;
  readonly rng: Rng;
  readonly connected: boolean[];
  /** logs[i]: index → command that peer i applied. */
  readonly logs: Map<number, unknown>[];
  readonly lastApplied: number[];
  readonly applyErr: string[];
  maxIndex = 0;
  finished = false;
  private t0: number;
  private rpcs0 = 0;
  private bytes0 = 0;
  private maxIndex0 = 0;
  private begun = 0;

  constructor(
    readonly sim: Simulation,
    readonly n: number,
    readonly unreliable: boolean,
    readonly snapshotMode: boolean,
    readonly raftOptions: Partial<RaftConfig> = harnessRaftOptions(),
  ) {
    this.rng = sim.rng.fork('tester');
    this.connected = new Array(n).fill(false);
    this.logs = Array.from({ length: n }, () => new Map());
    this.lastApplied = new Array(n).fill(0);
    this.applyErr = new Array(n).fill('');
    this.t0 = sim.clock.now();
    this.cluster = simRaftCluster({
      n,
      sim,
      raft: raftOptions,
      unreliable,
      longDelays: true,
      connected: false,
      storage: harnessStorageFactory(sim),
      beforeStart: (i, storage) => {
        // A restarted peer's tester log starts from its snapshot (lab: start1 reads it).
        this.lastApplied[i] = 0;
        const snap = storage.readSnapshot();
        if (snap.length > 0) {
          const err = applySnapshotMsg(this, i, snap, -1);
          if (err !== undefined) this.fatal(err);
        }
      },
      onApply: (i, msg, peer) => this.onApply(i, peer, msg),
    });
    this.net = this.cluster.net;
    for (let i = 0; i < n; i++) this.connect(i);
  }

  /** rafts[i]: peer i's live incarnation, undefined while crashed. */
  get rafts(): readonly (RaftPeer | undefined)[] {
    return this.cluster.peers;
  }

  get now(): number {
    return this.sim.clock.now();
  }

  sleep(ms: number): Promise<void> {
    return this.sim.clock.sleep(ms);
  }

  /** Fails the test now (the lab's t.Fatalf / log.Fatalf), also from a background task. */
  fatal(message: string): never {
    const error = new LabTestFailure(message);
    this.sim.trace('tester', 'fatal', { message });
    this.sim.fail(error);
    throw error;
  }

  /** A random non-negative integer in the safe range (the lab's rand.Int()). */
  randInt(): number {
    return this.rng.int(0, Number.MAX_SAFE_INTEGER);
  }

  /** `n` random letters and digits (the lab's randstring). */
  randString(n: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.rng.int(0, 63)];
    return s;
  }

  // ---- crash, start, connect ------------------------------------------

  /** Kills peer i (a killed peer makes no storage call, so its storage needs no defensive copy). */
  crash1(i: number): void {
    this.disconnect(i);
    void this.cluster.crash(i);
    this.sim.trace('tester', 'crash', { i });
  }

  /** (Re)starts peer i from a copy of its storage, with fresh (disabled) ends. Does not connect. */
  start1(i: number): void {
    this.crash1(i);
    this.cluster.start(i);
    this.sim.trace('tester', 'start', { i });
  }

  private onApply(i: number, rf: RaftPeer, msg: ApplyMsg): void {
    this.sim.trace('tester', 'apply', { i, index: msg.index, kind: msg.kind });
    if (this.snapshotMode) {
      if (msg.kind === 'snapshot') {
        const err = applySnapshotMsg(this, i, msg.snapshot, msg.index);
        if (err !== undefined) this.fatal(`apply error: ${err}`);
        return;
      }
      if (msg.index !== this.lastApplied[i]! + 1) {
        this.fatal(
          `server ${i} apply out of order, expected index ${this.lastApplied[i]! + 1}, got ${msg.index}`,
        );
      }
      if (msg.kind !== 'command') return; // no noop entries: the lab runs without noopOnElection
      const err = applyCommand(this, i, msg.index, msg.command);
      if (err !== undefined) this.fatal(`apply error: ${err}`);
      this.lastApplied[i] = msg.index;
      if ((msg.index + 1) % SNAPSHOT_INTERVAL === 0) {
        const xlog: unknown[] = [];
        for (let j = 0; j <= msg.index; j++) xlog.push(this.logs[i]!.get(j) ?? null);
        rf.snapshot(msg.index, encodeSnapshot(msg.index, xlog));
      }
      return;
    }
    if (msg.kind !== 'command') return;
    const err = applyCommand(this, i, msg.index, msg.command);
    if (err !== undefined) {
      this.applyErr[i] = err;
      this.fatal(`apply error: ${err}`);
    }
  }

  /** Links i with every connected peer (itself included). */
  connect(i: number): void {
    this.connected[i] = true;
    this.cluster.connect(i);
    this.sim.trace('tester', 'connect', { i });
  }

  /** Cuts every link of i. */
  disconnect(i: number): void {
    this.connected[i] = false;
    this.cluster.disconnect(i);
    this.sim.trace('tester', 'disconnect', { i });
  }

  setUnreliable(unreliable: boolean): void {
    this.net.setReliable(!unreliable);
  }

  setLongReordering(on: boolean): void {
    this.net.setLongReordering(on);
  }

  rpcCount(i: number): number {
    return this.cluster.rpcCount(i);
  }

  rpcTotal(): number {
    return this.net.totalRpcCount();
  }

  bytesTotal(): number {
    return this.net.totalBytes();
  }

  /** The largest Raft state any persister holds (bytes). */
  logSize(): number {
    let max = 0;
    for (let i = 0; i < this.n; i++) max = Math.max(max, this.cluster.storage(i).raftStateSize());
    return max;
  }

  // ---- lifecycle --------------------------------------------------------

  begin(description: string): void {
    this.sim.trace('tester', 'begin', { description });
    this.begun = this.now;
    this.rpcs0 = this.rpcTotal();
    this.bytes0 = this.bytesTotal();
    this.maxIndex0 = this.maxIndex;
  }

  checkTimeout(): void {
    if (this.now - this.t0 > TEST_TIME_LIMIT) this.fatal('test took longer than 120 seconds');
  }

  end(): LabSummary {
    this.checkTimeout();
    const summary: LabSummary = {
      seconds: (this.now - this.begun) / 1000,
      peers: this.n,
      rpcs: this.rpcTotal() - this.rpcs0,
      bytes: this.bytesTotal() - this.bytes0,
      ops: this.maxIndex - this.maxIndex0,
    };
    this.cleanup();
    return summary;
  }

  cleanup(): void {
    this.finished = true;
    this.cluster.shutdown();
  }
}

/** The tester's snapshot format (lab: an int, then the list of values logs[i][0..index]). */
export function encodeSnapshot(index: number, xlog: unknown[]): Uint8Array {
  return snapshotCodec.encode([index, xlog]);
}
