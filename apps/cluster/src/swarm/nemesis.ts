import type { Rng } from '@raftkit/core';
import type { SwarmParams } from './params.js';
import type { SwarmWorld } from './world.js';

/**
 * The fault injector of a swarm run. Until `stop()`, it waits about
 * `nemesisEveryMs` (uniform in [½, 1½]×), then takes one action among those
 * the run's parameters enable: a partition (random halves, the leader
 * isolated, a bridge node linked to both halves, one-way cuts), a heal, a
 * crash (a minority, the leader, everyone) with a short or long outage, or a
 * switch of the unreliable / reordering / duplication / spike settings.
 */
export class Nemesis {
  private stopped = false;
  private readonly restarts = new Set<number>();
  actions = 0;

  constructor(
    private readonly world: SwarmWorld,
    private readonly params: SwarmParams,
    private readonly rng: Rng,
    private readonly leader: () => number,
  ) {}

  async run(untilMs: number): Promise<void> {
    if (this.params.leaderChurn) await Promise.all([this.actions_(untilMs), this.churn(untilMs)]);
    else await this.actions_(untilMs);
  }

  /** The lab's Figure 8 loop: crash the leader often; keep a majority running. */
  private async churn(untilMs: number): Promise<void> {
    const w = this.world;
    const clock = w.sim.clock;
    const majority = Math.floor(w.n / 2) + 1;
    while (!this.stopped) {
      const pause = this.rng.chance(0.1) ? this.rng.int(0, 500) : this.rng.int(0, 13);
      if (clock.now() + pause >= untilMs) break;
      await clock.sleep(pause);
      if (this.stopped) break;
      const l = this.leader();
      if (l >= 0 && !this.restarts.has(l)) {
        w.sim.trace('nemesis', 'crash', { kind: 'churn', victims: [l] });
        w.crash(l);
      }
      const down = Array.from({ length: w.n }, (_, i) => i).filter(
        (i) => !w.alive(i) && !this.restarts.has(i),
      );
      if (w.n - down.length - this.restarts.size < majority && down.length > 0) {
        w.start(down[this.rng.int(0, down.length - 1)]!);
      }
    }
  }

  private async actions_(untilMs: number): Promise<void> {
    const clock = this.world.sim.clock;
    const p = this.params;
    while (!this.stopped) {
      const pause = p.nemesisEveryMs * (0.5 + this.rng.float());
      if (clock.now() + pause >= untilMs) break;
      await clock.sleep(pause);
      if (this.stopped) break;
      this.act();
      this.actions += 1;
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private lastTerm = 0;
  private readonly durableTerm: number[] = [];

  /**
   * Called before a peer durably adopts a new term (and perhaps a vote): with `election-blip`
   * crashes on, one time in four the peer crashes 0–2 ms later and is back 0.5–10 ms after
   * that, so a vote is followed at once by a restart from what was persisted.
   */
  termPersisted(i: number, term: number): void {
    if (term <= (this.durableTerm[i] ?? 0)) return;
    this.durableTerm[i] = term;
    if (this.stopped || !this.params.crashes.includes('election-blip') || !this.rng.chance(0.25))
      return;
    const w = this.world;
    const after = this.rng.float() * 2;
    const outage = 0.5 + this.rng.float() * 9.5;
    w.sim.clock.setTimer(after, () => {
      if (this.stopped || !w.alive(i) || this.restarts.has(i)) return;
      w.sim.trace('nemesis', 'crash', { kind: 'vote-blip', victims: [i], term });
      w.crash(i);
      this.restarts.add(i);
      w.sim.clock.setTimer(outage, () => {
        this.restarts.delete(i);
        if (!w.alive(i) && !this.healed) w.start(i);
      });
    });
  }

  /**
   * Called when a peer starts an asynchronous save: with `mid-save` crashes on, now and then
   * (1 save in 20) the peer crashes before the save completes, back 20–300 ms later.
   */
  saveStarted(i: number, latencyMs: number): void {
    if (this.stopped || !this.params.crashes.includes('mid-save') || !this.rng.chance(0.05)) return;
    const w = this.world;
    const after = this.rng.float() * latencyMs;
    w.sim.clock.setTimer(after, () => {
      if (this.stopped || !w.alive(i) || this.restarts.has(i)) return;
      w.sim.trace('nemesis', 'crash', { kind: 'mid-save', victims: [i] });
      w.crash(i);
      this.restarts.add(i);
      w.sim.clock.setTimer(this.rng.int(20, 300), () => {
        this.restarts.delete(i);
        if (!w.alive(i) && !this.healed) w.start(i);
      });
    });
  }

  /**
   * Called after every step with the highest term of a live peer: with
   * `election-blip` crashes on, a new term (an election starting) crashes a
   * random server within 5 ms and restarts it 1–40 ms later, half the time.
   */
  observeTerm(term: number): void {
    if (term <= this.lastTerm) return;
    this.lastTerm = term;
    if (this.stopped || !this.params.crashes.includes('election-blip') || this.rng.chance(0.5))
      return;
    const w = this.world;
    const i = this.rng.int(0, w.n - 1);
    const after = this.rng.float() * 5;
    const outage = 1 + this.rng.float() * 39;
    w.sim.clock.setTimer(after, () => {
      if (this.stopped || !w.alive(i) || this.restarts.has(i)) return;
      w.sim.trace('nemesis', 'crash', { kind: 'election-blip', victims: [i], term });
      w.crash(i);
      this.restarts.add(i);
      w.sim.clock.setTimer(outage, () => {
        this.restarts.delete(i);
        if (!w.alive(i) && !this.healed) w.start(i);
      });
    });
  }

  private act(): void {
    const p = this.params;
    const choices: (() => void)[] = [];
    if (p.partitions.length > 0) {
      choices.push(() => this.partition());
      choices.push(() => this.world.setLinks(() => true));
      if (p.partitions.includes('one-way')) choices.push(() => this.world.net.healCuts());
    }
    if (p.crashes.some((k) => k !== 'election-blip' && k !== 'mid-save'))
      choices.push(() => this.crash());
    if (p.unreliablePeriods) choices.push(() => this.world.net.setReliable(this.rng.chance(0.5)));
    if (p.longReordering)
      choices.push(() => this.world.net.setLongReordering(this.rng.chance(0.5)));
    if (p.duplicateRate > 0 || p.spikeRate > 0) {
      choices.push(() =>
        this.world.setFaults(
          this.rng.chance(0.5)
            ? {}
            : { duplicateRate: p.duplicateRate, spikeRate: p.spikeRate, spikeMs: p.spikeMs },
        ),
      );
    }
    if (choices.length === 0) return;
    choices[this.rng.int(0, choices.length - 1)]!();
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.rng.int(0, items.length - 1)]!;
  }

  private shuffled(): number[] {
    const out = Array.from({ length: this.world.n }, (_, i) => i);
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.rng.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  private partition(): void {
    const w = this.world;
    const n = w.n;
    const kind = this.pick(this.params.partitions);
    w.sim.trace('nemesis', 'partition', { kind });
    switch (kind) {
      case 'halves': {
        const order = this.shuffled();
        const cut = this.rng.int(1, n - 1);
        const side = new Array<number>(n);
        order.forEach((node, k) => {
          side[node] = k < cut ? 0 : 1;
        });
        w.setLinks((i, j) => side[i] === side[j]);
        return;
      }
      case 'isolate-leader': {
        const l = this.leader();
        const alone = l >= 0 ? l : this.rng.int(0, n - 1);
        w.setLinks((i, j) => i !== alone && j !== alone);
        return;
      }
      case 'bridge': {
        // Two halves that cannot talk, and one node that talks to both.
        const order = this.shuffled();
        const bridge = order[0]!;
        const half = 1 + Math.floor((n - 1) / 2);
        const side = new Array<number>(n);
        order.forEach((node, k) => {
          side[node] = k < half ? 0 : 1;
        });
        w.setLinks((i, j) => i === bridge || j === bridge || side[i] === side[j]);
        return;
      }
      case 'one-way': {
        const cuts = this.rng.int(1, n);
        for (let k = 0; k < cuts; k++) {
          const from = this.rng.int(0, n - 1);
          let to = this.rng.int(0, n - 2);
          if (to >= from) to += 1;
          w.net.cut(String(from), String(to), true);
          w.sim.trace('nemesis', 'cut', { from, to });
        }
        return;
      }
    }
  }

  private crash(): void {
    const w = this.world;
    const n = w.n;
    const kinds = this.params.crashes.filter((k) => k !== 'election-blip' && k !== 'mid-save');
    if (kinds.length === 0) return;
    const kind = this.pick(kinds);
    let victims: number[];
    if (kind === 'all') victims = this.shuffled();
    else if (kind === 'leader') {
      const l = this.leader();
      victims = l >= 0 ? [l] : [];
    } else victims = this.shuffled().slice(0, this.rng.int(1, Math.floor((n - 1) / 2)));
    victims = victims.filter((i) => w.alive(i) && !this.restarts.has(i));
    if (victims.length === 0) return;
    const long = this.pick(this.params.outages) === 'long';
    w.sim.trace('nemesis', 'crash', { kind, victims, long });
    for (const i of victims) {
      w.crash(i);
      this.restarts.add(i);
      const outage = long ? this.rng.int(1000, 5000) : this.rng.int(50, 500);
      w.sim.clock.setTimer(outage, () => {
        this.restarts.delete(i);
        if (!w.alive(i) && !this.healed) w.start(i);
      });
    }
  }

  /** Set once the liveness phase starts: it restarts every node itself. */
  healed = false;
}
