import type { ClientEnd, RpcServer } from '@raftkit/core';
import type { SimNetwork } from '@raftkit/labrpc';

/**
 * The wiring of `n` servers on a `SimNetwork`, written once for every
 * simulated cluster (Raft peers, key/value groups, the lab testers):
 * per-incarnation client ends from each server to every server, servers
 * registered under `serverName(i)`, and a symmetric link matrix that decides
 * which of those ends are enabled.
 *
 * Invariants: the end server i's current incarnation uses to reach j is
 * enabled iff `linked(i, j)`; a server's ends are fresh on each `makeEnds(i)`,
 * so calls of a crashed incarnation can never reach anyone; links of a
 * server survive its crash and restart (`disconnect` it to cut it off).
 */
export class SimWiring {
  /** up[i][j] === up[j][i]: whether i and j can talk. up[i][i] is i's loopback. */
  private readonly up: boolean[][];
  /** Lab-style membership: `connect(i)` links i to every connected server. */
  private readonly connected: boolean[];
  /** endNames[i][j]: the end i's current incarnation uses to reach j. */
  private readonly endNames: (string | undefined)[][];
  private seq = 0;

  constructor(
    readonly net: SimNetwork,
    readonly n: number,
    options: { connected?: boolean } = {},
  ) {
    const on = options.connected ?? true;
    this.up = Array.from({ length: n }, () => new Array<boolean>(n).fill(on));
    this.connected = new Array<boolean>(n).fill(on);
    this.endNames = Array.from({ length: n }, () => new Array<string | undefined>(n));
  }

  /** The network name of server i. */
  serverName(i: number): string {
    return String(i);
  }

  /**
   * Fresh ends from a new incarnation of server i to every server (the old
   * incarnation's ends are disabled for good). `wrap` may decorate each end.
   */
  makeEnds(i: number, wrap?: (from: number, to: number, end: ClientEnd) => ClientEnd): ClientEnd[] {
    const ends: ClientEnd[] = [];
    for (let j = 0; j < this.n; j++) {
      const old = this.endNames[i]![j];
      if (old !== undefined) this.net.enable(old, false);
      const name = `${i}->${j}#${++this.seq}`;
      this.endNames[i]![j] = name;
      const end = this.net.makeEnd(name);
      this.net.connect(name, this.serverName(j));
      this.net.enable(name, this.up[i]![j]!);
      ends.push(wrap === undefined ? end : wrap(i, j, end));
    }
    return ends;
  }

  /** Registers server i's RPC server (replacing, and killing calls to, its previous one). */
  addServer(i: number, server: RpcServer): void {
    this.net.addServer(this.serverName(i), server);
  }

  /** Removes server i: calls in flight to it are lost and never reach its next incarnation. */
  removeServer(i: number): void {
    this.net.deleteServer(this.serverName(i));
    for (let j = 0; j < this.n; j++) {
      const name = this.endNames[i]![j];
      if (name !== undefined) this.net.enable(name, false);
      this.endNames[i]![j] = undefined;
    }
  }

  /** A client end (not a server's) to server `to`, enabled or not. */
  makeClientEnd(label: string, to: number, enabled = true): { name: string; end: ClientEnd } {
    const name = `${label}->${to}#${++this.seq}`;
    const end = this.net.makeEnd(name);
    this.net.connect(name, this.serverName(to));
    this.net.enable(name, enabled);
    return { name, end };
  }

  /** Whether servers i and j can talk. */
  linked(i: number, j: number): boolean {
    return this.up[i]![j]!;
  }

  /** Sets the link between i and j (both directions). */
  link(i: number, j: number, on: boolean): void {
    this.up[i]![j] = on;
    this.up[j]![i] = on;
    this.apply(i, j);
    this.apply(j, i);
  }

  /** Links i with every server in `peers` (or cuts those links). */
  links(i: number, peers: readonly number[], on: boolean): void {
    for (const j of peers) this.link(i, j, on);
  }

  /** The lab's connect(i): i rejoins, linked to every connected server (and itself). */
  connect(i: number): void {
    this.connected[i] = true;
    for (let j = 0; j < this.n; j++) if (this.connected[j]) this.link(i, j, true);
  }

  /** The lab's disconnect(i): every link of i goes down, its loopback included. */
  disconnect(i: number): void {
    this.connected[i] = false;
    for (let j = 0; j < this.n; j++) this.link(i, j, false);
  }

  isConnected(i: number): boolean {
    return this.connected[i]!;
  }

  /** Servers in the same group can talk; servers in different groups cannot. Unlisted servers are cut off. */
  partition(...groups: readonly (readonly number[])[]): void {
    const groupOf = new Array<number>(this.n).fill(-1);
    groups.forEach((g, k) => {
      for (const i of g) groupOf[i] = k;
    });
    for (let i = 0; i < this.n; i++) {
      this.connected[i] = groupOf[i] !== -1;
      for (let j = i; j < this.n; j++)
        this.link(i, j, groupOf[i] !== -1 && groupOf[i] === groupOf[j]);
    }
  }

  /** Every server connected to every other. */
  heal(): void {
    this.partition(Array.from({ length: this.n }, (_, i) => i));
  }

  /** RPCs dispatched to server i's current incarnation. */
  rpcCount(i: number): number {
    return this.net.serverRpcCount(this.serverName(i));
  }

  private apply(from: number, to: number): void {
    const name = this.endNames[from]![to];
    if (name !== undefined) this.net.enable(name, this.up[from]![to]!);
  }
}
