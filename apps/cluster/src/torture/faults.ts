import type { Rng } from '@raftkit/core';
import type { NetworkFaults } from './cluster-flavor.js';
import type { ProcessManager } from './process-manager.js';

export type FaultKind = 'kill' | 'pause' | 'partition' | 'cut';
export const FAULT_KINDS: readonly FaultKind[] = ['kill', 'pause', 'partition', 'cut'];

export interface FaultOptions {
  /** Kinds to inject; partition and cut need the cluster's NetworkFaults. */
  kinds: readonly FaultKind[];
  /** Probability that an episode includes the current leader among its targets. */
  leaderBias: number;
  /** A fault lasts a uniform time in [holdMs[0], holdMs[1]] ms, then is reverted. */
  holdMs: readonly [number, number];
  /** Quiet time between two episodes, ms. */
  gapMs: readonly [number, number];
}

/** A short fault note for progress output; `t` is ms since the injector started. */
export interface FaultEvent {
  t: number;
  kind: FaultKind;
  targets: string[];
  includesLeader: boolean;
}

/**
 * Injects one fault episode at a time into a random minority of the nodes (sometimes the
 * leader), holds it, and reverts it: kill -9 then restart on the same data dir, SIGSTOP then
 * SIGCONT, a partition of the minority from the rest, or a one-way cut from one target to
 * another node. The rng fixes the schedule (kinds, targets, durations); when each fault lands
 * relative to the clients' operations depends on real timing and is not reproducible.
 */
export class FaultInjector {
  readonly counts: Record<FaultKind, number> = { kill: 0, pause: 0, partition: 0, cut: 0 };
  readonly events: FaultEvent[] = [];
  private readonly stopper = new AbortController();
  private readonly origin = performance.now();
  private readonly kinds: FaultKind[];

  constructor(
    private readonly pm: ProcessManager,
    private readonly network: NetworkFaults | undefined,
    private readonly rng: Rng,
    private readonly options: FaultOptions,
    private readonly leaderOf: () => Promise<string | undefined>,
    private readonly onEvent: (e: FaultEvent) => void = () => {},
  ) {
    this.kinds = options.kinds.filter((k) =>
      k === 'kill' || k === 'pause' ? true : network !== undefined,
    );
  }

  /** Runs episodes until `stop()`; every fault is reverted before it resolves. */
  async run(): Promise<void> {
    if (this.kinds.length === 0) return;
    const ids = this.pm.ids;
    const minority = Math.floor((ids.length - 1) / 2);
    if (minority < 1) return;
    while (!this.stopper.signal.aborted) {
      await this.sleep(this.uniform(this.options.gapMs));
      if (this.stopper.signal.aborted) break;
      const kind = this.kinds[this.rng.int(0, this.kinds.length - 1)]!;
      const targets = this.pick(ids, this.rng.int(1, minority));
      let includesLeader = false;
      if (this.rng.chance(this.options.leaderBias)) {
        const leader = await this.leaderOf();
        if (leader !== undefined && !targets.includes(leader)) targets[0] = leader;
        includesLeader = leader !== undefined;
      }
      await this.episode(kind, targets, ids, includesLeader);
    }
  }

  stop(): void {
    this.stopper.abort();
  }

  private async episode(
    kind: FaultKind,
    targets: string[],
    ids: readonly string[],
    includesLeader: boolean,
  ): Promise<void> {
    const event: FaultEvent = {
      t: Math.round(performance.now() - this.origin),
      kind,
      targets: [...targets],
      includesLeader,
    };
    const others = ids.filter((id) => !targets.includes(id));
    this.counts[kind] += 1;
    this.events.push(event);
    const hold = this.uniform(this.options.holdMs);
    // The cut's far end is drawn before the event is reported, so the report names it.
    const to = kind === 'cut' ? others[this.rng.int(0, others.length - 1)]! : '';
    if (kind === 'cut') event.targets.push(`->${to}`);
    this.onEvent(event);
    switch (kind) {
      case 'kill':
        await Promise.all(targets.map((id) => this.pm.kill(id)));
        await this.sleep(hold);
        for (const id of targets) this.pm.start(id);
        return;
      case 'pause':
        for (const id of targets) this.pm.pause(id);
        await this.sleep(hold);
        for (const id of targets) this.pm.resume(id);
        return;
      case 'partition':
        await this.network!.partition([targets, others]);
        await this.sleep(hold);
        await this.network!.heal();
        return;
      case 'cut': {
        // Every target loses its calls to the same far end (the event names them all).
        await Promise.all(targets.map((from) => this.network!.cutOneWay(from, to)));
        await this.sleep(hold);
        await this.network!.heal();
        return;
      }
    }
  }

  /** Reverts anything still in effect: resume paused nodes, start nodes that are down, heal links. */
  async healAll(): Promise<void> {
    for (const id of this.pm.ids) {
      const s = this.pm.state(id);
      if (s === 'paused') this.pm.resume(id);
      else if (s === 'down') this.pm.start(id);
    }
    await this.network?.heal();
  }

  private pick(ids: readonly string[], k: number): string[] {
    const pool = [...ids];
    const out: string[] = [];
    for (let i = 0; i < k; i++) out.push(pool.splice(this.rng.int(0, pool.length - 1), 1)[0]!);
    return out;
  }

  private uniform([lo, hi]: readonly [number, number]): number {
    return lo + this.rng.float() * (hi - lo);
  }

  /** Sleeps `ms`, or less when the injector is stopped (the fault is then reverted at once). */
  private sleep(ms: number): Promise<void> {
    const signal = this.stopper.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });
  }
}
