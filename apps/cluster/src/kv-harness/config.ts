import { Clerk } from '@raftkit/clerk';
import type { ClientEnd, RaftStorage, Rng } from '@raftkit/core';
import type { KvServer } from '@raftkit/kvserver';
import { type SimKvGroup, simKvGroup } from '@raftkit/kvserver/testing';
import type { SimNetwork, Simulation } from '@raftkit/labrpc';
import type { LabSummary } from '../lab/lab-test.js';
import { fail } from './fail.js';
import { quietFromEnv } from './quiet.js';
import { harnessStorageFactory } from '../harness-storage.js';

export interface KvConfigOptions {
  sim: Simulation;
  /** Number of servers. */
  n: number;
  unreliable: boolean;
  /** Raft state bytes at which a server snapshots; -1 never snapshots. */
  maxRaftState: number;
  /** How the servers serve Get (default: the server's own default). */
  getMode?: 'read-index' | 'log';
  /** Do not print titles and summary lines (sweeps). Default: `quietFromEnv()`. */
  quiet?: boolean;
}

/** RAFTKIT_KV_GET_MODE=log|read-index runs the servers with that Get path (default: theirs). */
function getModeFromEnv(): 'read-index' | 'log' | undefined {
  const mode = process.env.RAFTKIT_KV_GET_MODE;
  if (mode === undefined || mode === '') return undefined;
  if (mode === 'log' || mode === 'read-index') return mode;
  throw new Error(`RAFTKIT_KV_GET_MODE must be "log" or "read-index", got "${mode}"`);
}

/** Virtual ms a test may take (the lab's 120 s limit, checked by `end` and by the runner). */
export const TEST_TIME_LIMIT_MS = 120_000;

/**
 * The lab's kvraft `config` (src/kvraft/config.go) in virtual time, over a `SimKvGroup`
 * (@raftkit/kvserver/testing): n KV servers, each a `KvServer` with its Raft peer on one
 * `RpcServer`, storage copied at every restart, clerks whose ends the tester controls, and the
 * bookkeeping behind the summary line. LongDelays is never turned on, so a call on a disabled end
 * fails within 0–99 ms.
 *
 * Invariants: a clerk's ends are `clerkEnds.get(ck)[j]` → server j.
 */
export class KvConfig {
  readonly sim: Simulation;
  readonly group: SimKvGroup;
  readonly net: SimNetwork;
  readonly n: number;
  readonly maxRaftState: number;
  readonly unreliable: boolean;
  private readonly quiet: boolean;
  private readonly clerkEnds = new Map<Clerk, string[]>();
  /** Harness randomness: clerk shuffles, partitions. Separate from the servers' streams. */
  readonly rng: Rng;
  private nextClerk = 0;
  private nextRaw = 0;
  // begin/end bookkeeping
  private t0 = 0;
  private rpcs0 = 0;
  private bytes0 = 0;
  private opCount = 0;

  constructor(options: KvConfigOptions) {
    this.sim = options.sim;
    this.n = options.n;
    this.maxRaftState = options.maxRaftState;
    this.unreliable = options.unreliable;
    const getMode = options.getMode ?? getModeFromEnv();
    this.quiet = options.quiet ?? quietFromEnv();
    this.rng = this.sim.rng.fork('kv-tester');
    this.group = simKvGroup({
      n: this.n,
      sim: this.sim,
      unreliable: options.unreliable,
      storage: harnessStorageFactory(this.sim),
      server: {
        maxRaftState: this.maxRaftState,
        ...(getMode === undefined ? {} : { getMode }),
      },
    });
    this.net = this.group.net;
  }

  /** [0, 1, …, n-1]. */
  all(): number[] {
    return this.group.all();
  }

  /** Starts server i (lab StartServer): fresh ends, a copy of its storage, a new KvServer. Links unchanged. */
  startServer(i: number): void {
    this.group.start(i);
    this.sim.trace('kv-tester', 'start', { i });
  }

  /** Crashes server i (lab ShutdownServer): cuts its links, removes it from the network, kills it. */
  shutdownServer(i: number): void {
    this.disconnect(i, this.all());
    void this.group.crash(i);
    this.sim.trace('kv-tester', 'crash', { i });
  }

  /** The running KV server i (throws when it is crashed). */
  server(i: number): KvServer {
    return this.group.server(i);
  }

  /** Enables the links between i and every server in `to`, both directions. */
  connect(i: number, to: readonly number[]): void {
    this.sim.trace('kv-tester', 'connect', { i, to: [...to] });
    this.group.link(i, to, true);
  }

  /** Disables the links between i and every server in `from`, both directions. */
  disconnect(i: number, from: readonly number[]): void {
    this.sim.trace('kv-tester', 'disconnect', { i, from: [...from] });
    this.group.link(i, from, false);
  }

  connectAll(): void {
    this.group.heal();
  }

  /** Splits the servers into p1 and p2 (each fully connected inside). Clerk ends are untouched. */
  partition(p1: readonly number[], p2: readonly number[]): void {
    this.group.partition(p1, p2);
  }

  /** The first server whose Raft believes it is leader (lab `Leader`); 0 when none. */
  leader(): { ok: boolean; leader: number } {
    for (let i = 0; i < this.n; i++) {
      const kv = this.group.servers[i];
      if (kv?.raft.getState().isLeader) return { ok: true, leader: i };
    }
    return { ok: false, leader: 0 };
  }

  /** Lab `make_partition`: p1 = n/2+1 non-leaders, p2 = the rest with the leader last. */
  makePartition(): [number[], number[]] {
    const { leader } = this.leader();
    const p1: number[] = [];
    const p2: number[] = [];
    const size1 = Math.floor(this.n / 2) + 1;
    for (let i = 0; i < this.n; i++) {
      if (i === leader) continue;
      if (p1.length < size1) p1.push(i);
      else p2.push(i);
    }
    p2.push(leader);
    return [p1, p2];
  }

  /**
   * A clerk with fresh ends to every server, handed to the Clerk in a shuffled order (so its
   * k-th server is not necessarily server k); only the ends to `to` are enabled.
   */
  makeClient(to: readonly number[]): Clerk {
    this.nextClerk += 1;
    const id = this.nextClerk;
    const { names, ends } = this.group.clientEnds(`ck${id}`, []);
    const shuffled = shuffle(ends, this.rng);
    const ck = new Clerk(shuffled, {
      clock: this.sim.clock,
      rng: this.sim.rng.fork(`clerk-${id}`),
      logger: this.sim.logger,
    });
    this.clerkEnds.set(ck, names);
    this.connectClient(ck, to);
    return ck;
  }

  /** Forgets a clerk (lab deleteClient); its ends stay in the network, disabled. */
  deleteClient(ck: Clerk): void {
    const names = this.clerkEnds.get(ck);
    if (names === undefined) return;
    for (const name of names) this.group.enableClientEnd(name, false);
    this.clerkEnds.delete(ck);
  }

  connectClient(ck: Clerk, to: readonly number[]): void {
    const names = this.clerkNames(ck);
    for (const j of to) this.group.enableClientEnd(names[j]!, true);
  }

  disconnectClient(ck: Clerk, from: readonly number[]): void {
    const names = this.clerkNames(ck);
    for (const j of from) this.group.enableClientEnd(names[j]!, false);
  }

  private clerkNames(ck: Clerk): string[] {
    const names = this.clerkEnds.get(ck);
    if (names === undefined) throw new Error('unknown clerk: make it with makeClient');
    return names;
  }

  /** A raw end to server `to` (enabled), for tests that bypass the clerk. */
  makeRawEnd(label: string, to: number): { name: string; end: ClientEnd } {
    return this.group.wiring.makeClientEnd(`${label}#raw${++this.nextRaw}`, to, true);
  }

  /** Server i's current storage (what its next incarnation will start from, copied). */
  persister(i: number): RaftStorage {
    return this.group.storage(i);
  }

  /** Largest Raft state size over all storages (bytes). */
  logSize(): number {
    return this.group.logSize();
  }

  /** Largest snapshot size over all storages (bytes). */
  snapshotSize(): number {
    return this.group.snapshotSize();
  }

  /** Counts one client operation towards the summary line. */
  op(): void {
    this.opCount += 1;
  }

  /** Starts a titled section: prints the title, records time, RPCs, bytes and ops. */
  begin(title: string): void {
    if (!this.quiet) console.log(`${title} ...`);
    this.sim.trace('kv-tester', 'begin', { title });
    this.t0 = this.sim.clock.now();
    this.rpcs0 = this.net.totalRpcCount();
    this.bytes0 = this.net.totalBytes();
    this.opCount = 0;
  }

  /**
   * Ends a section: fails when the test has run past the lab's 120 s (virtual), else returns
   * the summary (the runner prints it with the shared `summaryLine`).
   */
  end(): LabSummary {
    if (this.sim.clock.now() > TEST_TIME_LIMIT_MS) {
      fail('time-limit', `test took longer than ${TEST_TIME_LIMIT_MS / 1000} virtual seconds`);
    }
    const summary: LabSummary = {
      seconds: (this.sim.clock.now() - this.t0) / 1000,
      peers: this.n,
      rpcs: this.net.totalRpcCount() - this.rpcs0,
      bytes: this.net.totalBytes() - this.bytes0,
      ops: this.opCount,
    };
    return summary;
  }

  /** Kills every server and shuts the network down (lab cleanup). */
  cleanup(): void {
    this.group.shutdown();
  }
}

/** Fisher–Yates with the harness rng. */
export function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
