import { Clerk } from '@raftkit/clerk';
import { KvServer } from '@raftkit/kvserver';
import { SimNetwork, type Simulation } from '@raftkit/labrpc';
import { type ClientEnd, type Rng, RpcServer } from '@raftkit/core';
import { MemoryPersister } from '@raftkit/persister';
import type { LabSummary } from '../lab/lab-test.js';
import { fail } from './fail.js';
import { quietFromEnv } from './quiet.js';

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
 * The lab's kvraft `config` (src/kvraft/config.go) in virtual time: n KV servers, each a
 * `KvServer` with its Raft peer on one `RpcServer` named `String(i)`, persisters that are copied
 * on every crash, clerks whose ends the tester controls, and the bookkeeping behind the summary
 * line. LongDelays is never turned on, so a call on a disabled end fails within 0–99 ms.
 *
 * Invariants: `endNames[i][j]` is the end server i's Raft uses to reach j (fresh per start of
 * i); a clerk's ends are `clerkEnds.get(ck)[j]` → server j; servers are named `String(i)`.
 */
export class KvConfig {
  readonly sim: Simulation;
  readonly net: SimNetwork;
  readonly n: number;
  readonly maxRaftState: number;
  readonly unreliable: boolean;
  private readonly getMode: 'read-index' | 'log' | undefined;
  private readonly quiet: boolean;
  private readonly servers: (KvServer | undefined)[];
  private readonly saved: (MemoryPersister | undefined)[];
  private readonly endNames: string[][];
  private readonly clerkEnds = new Map<Clerk, string[]>();
  /** Harness randomness: clerk shuffles, partitions. Separate from the servers' streams. */
  readonly rng: Rng;
  private nextEnd = 0;
  private nextClerk = 0;
  private readonly incarnation: number[];
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
    this.getMode = options.getMode ?? getModeFromEnv();
    this.quiet = options.quiet ?? quietFromEnv();
    this.net = new SimNetwork(this.sim);
    this.rng = this.sim.rng.fork('kv-tester');
    this.servers = new Array(this.n).fill(undefined);
    this.saved = new Array(this.n).fill(undefined);
    this.endNames = Array.from({ length: this.n }, () => []);
    this.incarnation = new Array(this.n).fill(0);
    for (let i = 0; i < this.n; i++) this.startServer(i);
    this.connectAll();
    this.net.setReliable(!options.unreliable);
  }

  /** [0, 1, …, n-1]. */
  all(): number[] {
    return Array.from({ length: this.n }, (_, i) => i);
  }

  private freshEndName(label: string): string {
    this.nextEnd += 1;
    return `${label}#${this.nextEnd}`;
  }

  /**
   * Starts server i (lab StartServer): fresh ends to every server (connected, disabled), a copy
   * of its persister (or a new one), a new KvServer registered under name i. Does not connect.
   */
  startServer(i: number): void {
    this.incarnation[i]! += 1;
    const names = this.all().map((j) => this.freshEndName(`kv${i}->${j}`));
    this.endNames[i] = names;
    const ends: ClientEnd[] = names.map((name, j) => {
      const end = this.net.makeEnd(name);
      this.net.connect(name, String(j));
      return end;
    });
    const persister = this.saved[i]?.copy() ?? new MemoryPersister();
    this.saved[i] = persister;
    const kv = new KvServer({
      peers: ends,
      me: i,
      persister,
      maxRaftState: this.maxRaftState,
      clock: this.sim.clock,
      rng: this.sim.rng.fork(`kv-${i}-${this.incarnation[i]}`),
      logger: this.sim.logger,
      ...(this.getMode === undefined ? {} : { getMode: this.getMode }),
    });
    const server = new RpcServer();
    kv.register(server);
    this.servers[i] = kv;
    this.net.addServer(String(i), server);
    this.sim.trace('kv-tester', 'start', { i });
  }

  /**
   * Crashes server i (lab ShutdownServer): disables its links, deletes it from the network
   * BEFORE swapping the persister (so a handler still running cannot acknowledge a write into
   * the persister the next incarnation reads), copies the persister, kills it.
   */
  shutdownServer(i: number): void {
    this.disconnect(i, this.all());
    this.net.deleteServer(String(i));
    const saved = this.saved[i];
    if (saved !== undefined) this.saved[i] = saved.copy();
    const kv = this.servers[i];
    if (kv !== undefined) {
      kv.kill();
      this.servers[i] = undefined;
    }
    this.sim.trace('kv-tester', 'crash', { i });
  }

  /** The running KV server i (throws when it is crashed). */
  server(i: number): KvServer {
    const kv = this.servers[i];
    if (kv === undefined) throw new Error(`kv server ${i} is not running`);
    return kv;
  }

  /** Enables the links between i and every server in `to`, both directions. */
  connect(i: number, to: readonly number[]): void {
    this.sim.trace('kv-tester', 'connect', { i, to: [...to] });
    for (const j of to) {
      const out = this.endNames[i]?.[j];
      if (out !== undefined) this.net.enable(out, true);
      const back = this.endNames[j]?.[i];
      if (back !== undefined) this.net.enable(back, true);
    }
  }

  /** Disables the links between i and every server in `from`, both directions. */
  disconnect(i: number, from: readonly number[]): void {
    this.sim.trace('kv-tester', 'disconnect', { i, from: [...from] });
    for (const j of from) {
      const out = this.endNames[i]?.[j];
      if (out !== undefined) this.net.enable(out, false);
      const back = this.endNames[j]?.[i];
      if (back !== undefined) this.net.enable(back, false);
    }
  }

  connectAll(): void {
    for (let i = 0; i < this.n; i++) this.connect(i, this.all());
  }

  /** Splits the servers into p1 and p2 (each fully connected inside). Clerk ends are untouched. */
  partition(p1: readonly number[], p2: readonly number[]): void {
    for (const i of p1) {
      this.disconnect(i, p2);
      this.connect(i, p1);
    }
    for (const i of p2) {
      this.disconnect(i, p1);
      this.connect(i, p2);
    }
  }

  /** The first server whose Raft believes it is leader (lab `Leader`); 0 when none. */
  leader(): { ok: boolean; leader: number } {
    for (let i = 0; i < this.n; i++) {
      const kv = this.servers[i];
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
    const names = this.all().map((j) => this.freshEndName(`ck${id}->${j}`));
    const ends = names.map((name, j) => {
      const end = this.net.makeEnd(name);
      this.net.connect(name, String(j));
      return end;
    });
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
    for (const name of names) this.net.enable(name, false);
    this.clerkEnds.delete(ck);
  }

  connectClient(ck: Clerk, to: readonly number[]): void {
    const names = this.clerkNames(ck);
    for (const j of to) this.net.enable(names[j]!, true);
  }

  disconnectClient(ck: Clerk, from: readonly number[]): void {
    const names = this.clerkNames(ck);
    for (const j of from) this.net.enable(names[j]!, false);
  }

  private clerkNames(ck: Clerk): string[] {
    const names = this.clerkEnds.get(ck);
    if (names === undefined) throw new Error('unknown clerk: make it with makeClient');
    return names;
  }

  /** A raw end to server `to` (enabled), for tests that bypass the clerk. */
  makeRawEnd(label: string, to: number): { name: string; end: ClientEnd } {
    const name = this.freshEndName(`${label}->${to}`);
    const end = this.net.makeEnd(name);
    this.net.connect(name, String(to));
    this.net.enable(name, true);
    return { name, end };
  }

  /** Server i's current persister (what its next incarnation will start from, copied). */
  persister(i: number): MemoryPersister {
    const p = this.saved[i];
    if (p === undefined) throw new Error(`server ${i} has no persister yet`);
    return p;
  }

  /** Largest Raft state size over all persisters (bytes). */
  logSize(): number {
    let max = 0;
    for (const p of this.saved) max = Math.max(max, p?.raftStateSize() ?? 0);
    return max;
  }

  /** Largest snapshot size over all persisters (bytes). */
  snapshotSize(): number {
    let max = 0;
    for (const p of this.saved) max = Math.max(max, p?.snapshotSize() ?? 0);
    return max;
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
    for (let i = 0; i < this.n; i++) {
      this.servers[i]?.kill();
      this.servers[i] = undefined;
    }
    this.net.cleanup();
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
