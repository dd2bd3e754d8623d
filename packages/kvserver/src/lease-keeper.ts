import type { Clock, Timer } from '@raftkit/core';

/** How often the leader looks for expired leases (ms). */
const CHECK_INTERVAL_MS = 500;

export interface LeaseKeeperOptions {
  clock: Clock;
  /** Lease id → TTL in seconds, as the store holds them now. */
  leases: () => ReadonlyMap<number, { ttl: number }>;
  raftState: () => { term: number; isLeader: boolean };
  /** Proposes the revocation of an expired lease. */
  revoke: (id: number) => void;
}

/**
 * Expires leases, as etcd's lessor does: only the leader counts time. When
 * a server becomes leader (of a new term) every lease gets its full TTL
 * again; a lease granted while it leads expires TTL seconds after this
 * server first sees it. An expired lease is revoked through the log, which
 * deletes its keys. The timer runs only while leases exist.
 * Invariant: `expiry` holds entries only while this server leads `term`.
 */
export class LeaseKeeper {
  private readonly expiry = new Map<number, number>();
  private term = -1;
  private timer: Timer | undefined;
  private stopped = false;

  constructor(private readonly options: LeaseKeeperOptions) {}

  /** Something changed the leases: make sure they are watched. */
  poke(): void {
    if (this.timer !== undefined || this.stopped) return;
    if (this.options.leases().size === 0) return;
    this.timer = this.options.clock.setTimer(CHECK_INTERVAL_MS, () => this.check());
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private check(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const { term, isLeader } = this.options.raftState();
    const leases = this.options.leases();
    const now = this.options.clock.now();
    if (!isLeader) {
      this.term = -1;
      this.expiry.clear();
    } else {
      if (term !== this.term) {
        this.term = term;
        this.expiry.clear();
      }
      for (const id of this.expiry.keys()) if (!leases.has(id)) this.expiry.delete(id);
      for (const [id, lease] of leases) {
        const at = this.expiry.get(id);
        if (at === undefined) this.expiry.set(id, now + lease.ttl * 1000);
        else if (at <= now) {
          // Retry after a while if the revocation does not commit.
          this.expiry.set(id, now + CHECK_INTERVAL_MS * 4);
          this.options.revoke(id);
        }
      }
    }
    this.poke();
  }
}
