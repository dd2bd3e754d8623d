import type { PersistedState } from '@raftkit/core';
import { createSeededRng } from '@raftkit/labrpc';
import { MemoryPersister } from '@raftkit/persister';
import {
  type RaftConfig,
  RaftCore,
  type RaftReply,
  type RaftRequest,
  validateConfig,
} from '../../src/index.js';
import { formatApply, formatPersist, formatReply, formatRequest, name } from './format.js';

/** A message on the wire: a request, or the reply to one. */
export interface Wire {
  from: number;
  to: number;
  req: RaftRequest;
  /** Undefined for a request; the answer for a reply travelling back to `to`. */
  reply?: RaftReply;
}

interface Node {
  core: RaftCore<string> | undefined;
  storage: MemoryPersister;
}

/**
 * The world a scenario script drives: n cores (no node wrapper, no timers),
 * one in-memory storage each, a queue of messages on the wire that moves only
 * when a command says so, and a virtual clock that moves only on `tick`.
 * Every observable effect is printed to `out`, in the order it happens.
 */
export class ScriptEnv {
  readonly nodes: Node[] = [];
  config: RaftConfig = validateConfig();
  now = 0;
  wire: Wire[] = [];
  /** groups[i]: the partition group of peer i (peers in different groups lose their messages). */
  groups: number[] = [];
  out: string[] = [];
  private readSeq = 0;

  get n(): number {
    return this.nodes.length;
  }

  print(line: string): void {
    this.out.push(line);
  }

  /** Creates n fresh peers with `config` (scripts default to a fixed 1000 ms election timeout). */
  reset(n: number, config: Partial<RaftConfig>): void {
    this.config = validateConfig({
      electionTimeoutMinMs: 1000,
      electionTimeoutMaxMs: 1000,
      ...config,
    });
    this.nodes.length = 0;
    this.wire = [];
    this.groups = new Array(n).fill(0);
    for (let i = 0; i < n; i++)
      this.nodes.push({ core: undefined, storage: new MemoryPersister() });
    for (let i = 0; i < n; i++) this.start(i);
  }

  /** (Re)creates peer i's core from its storage. */
  start(i: number, state?: PersistedState): void {
    const node = this.nodes[i]!;
    node.core = new RaftCore<string>({
      id: i,
      peers: this.n,
      config: this.config,
      rng: createSeededRng(`script-${i}`),
      state: state ?? node.storage.load(),
      now: this.now,
    });
  }

  core(i: number): RaftCore<string> {
    const c = this.nodes[i]?.core;
    if (c === undefined) throw new Error(`peer ${name(i)} is crashed`);
    return c;
  }

  alive(i: number): boolean {
    return this.nodes[i]?.core !== undefined;
  }

  all(): number[] {
    return this.nodes.map((_, i) => i);
  }

  /**
   * Acts on everything peer i's core has ready, in the documented order:
   * persist, advance, soft state, send, apply, reads.
   */
  drain(i: number): void {
    const core = this.nodes[i]?.core;
    if (core === undefined) return;
    // As the node does: entries proposed and commit updates go out at the end of the event.
    if (core.wantsBroadcast()) core.broadcast(this.now);
    while (core.hasReady()) {
      const rd = core.ready();
      for (const b of rd.persist) {
        this.nodes[i]!.storage.save(b);
        this.print(`${name(i)}: persist ${formatPersist(b)}`);
      }
      core.advance(rd, this.now);
      if (rd.softState) {
        const s = rd.softState;
        this.print(
          `${name(i)}: ${s.role} term=${s.term} leader=${s.leader === -1 ? '-' : name(s.leader)}`,
        );
      }
      for (const m of rd.messages) this.post({ from: i, to: m.to, req: m.req });
      for (const a of rd.apply) this.print(`${name(i)}: ${formatApply(a)}`);
      for (const r of rd.reads)
        this.print(
          `${name(i)}: read #${r.id} ${r.result.ok ? `ok index=${r.result.index}` : `failed ${r.result.reason}`}`,
        );
    }
  }

  drainAll(): void {
    for (const i of this.all()) this.drain(i);
  }

  /** Puts a message on the wire, unless a partition or a crash loses it. */
  post(w: Wire): void {
    const text = this.describe(w);
    if (!this.alive(w.to) && w.reply === undefined) {
      this.print(`send ${text} (lost: ${name(w.to)} is down)`);
      return;
    }
    if (this.groups[w.from] !== this.groups[w.to]) {
      this.print(`send ${text} (lost: partitioned)`);
      return;
    }
    this.print(`send ${text}`);
    this.wire.push(w);
  }

  describe(w: Wire): string {
    return w.reply === undefined
      ? `${name(w.from)}->${name(w.to)} ${formatRequest(w.req)}`
      : `${name(w.from)}->${name(w.to)} ${formatReply(w.req, w.reply)}`;
  }

  /** Delivers one message: a request is answered (after the receiver persisted), a reply is stepped. */
  deliver(w: Wire): void {
    this.print(`recv ${this.describe(w)}`);
    if (!this.alive(w.to)) {
      this.print(`  (dropped: ${name(w.to)} is down)`);
      return;
    }
    const core = this.core(w.to);
    if (w.reply === undefined) {
      const reply = core.step({ type: 'request', req: w.req }, this.now)!;
      this.drain(w.to);
      this.post({ from: w.to, to: w.from, req: w.req, reply });
    } else {
      core.step({ type: 'reply', from: w.from, req: w.req, reply: w.reply }, this.now);
      this.drain(w.to);
    }
  }

  /** Tells the sender of `w` (a request) that its call was lost. */
  lose(w: Wire): void {
    const sender = w.reply === undefined ? w.from : w.to;
    const target = w.reply === undefined ? w.to : w.from;
    this.print(`lost ${this.describe(w)}`);
    if (!this.alive(sender)) return;
    this.core(sender).step({ type: 'unreachable', to: target, req: w.req }, this.now);
    this.drain(sender);
  }

  nextReadId(): number {
    return ++this.readSeq;
  }
}
