import { createRaftPeer, type RaftPeer, registerRaft } from '@raftkit/raft';
import type { Simulation } from '@raftkit/labrpc';
import type { LabSummary } from '../lab/lab-test.js';
import { checkEfficiency } from './efficiency.js';
import { InvariantViolation, RaftInvariants } from './invariants.js';
import { Nemesis } from './nemesis.js';
import { describeParams, drawParams } from './params.js';
import { AppliedRecord, ChainService } from './raft-service.js';
import { SwarmWorld } from './world.js';

/** Virtual ms the cluster gets, once every fault is healed, to commit and apply a fresh entry. */
export const LIVENESS_MS = 10_000;
/** At most this many proposals per run (keeps a run cheap). */
const MAX_PROPOSALS = 600;

/**
 * One Raft-level swarm run: the seed draws the parameters (`drawParams`),
 * a workload proposes commands through whichever peer leads (and issues
 * ReadIndex requests when enabled), the nemesis injects faults for the fault
 * phase while the invariants are checked after every step, then everything
 * is healed and a fresh proposal must commit and reach every peer within
 * `LIVENESS_MS`; finally the traffic must be within the efficiency bounds.
 */
export async function raftSwarm(sim: Simulation): Promise<LabSummary> {
  const params = drawParams(sim.rng.fork('swarm-params'));
  sim.trace('swarm', 'params', { level: 'raft', params: describeParams(params) });
  const inv = new RaftInvariants(sim);
  const record = new AppliedRecord();
  const services: (ChainService | undefined)[] = new Array(params.servers).fill(undefined);
  const world = new SwarmWorld(sim, params, inv, (ctx) => {
    const service = new ChainService(
      ctx.i,
      record,
      inv,
      params.snapshotEvery,
      ctx.storage.readSnapshot(),
      params.snapshotLag
        ? { clock: ctx.clock, rng: sim.rng.fork(`snapshot-${ctx.i}-${ctx.incarnation}`) }
        : undefined,
    );
    const raft: RaftPeer<string> = createRaftPeer<string>({
      peers: ctx.ends,
      me: ctx.i,
      storage: ctx.storage,
      clock: ctx.clock,
      rng: sim.rng.fork(`raft-${ctx.i}-${ctx.incarnation}`),
      logger: sim.logger,
      apply: (msg) => service.apply(msg),
      preVote: params.preVote,
      checkQuorum: params.checkQuorum,
      readIndex: params.readIndex,
      maxEntriesPerAppend: params.maxEntriesPerAppend,
      maxInflightAppends: params.maxInflightAppends,
    });
    service.raft = raft;
    services[ctx.i] = service;
    return {
      raft: raft as RaftPeer,
      register: (server) => registerRaft(server, raft),
      kill: () => raft.kill(),
    };
  });
  inv.attach(world);
  const rng = sim.rng.fork('swarm-workload');
  const t0 = sim.clock.now();
  const leader = () => currentLeader(world);
  const nemesis = new Nemesis(world, params, sim.rng.fork('swarm-nemesis'), leader);
  inv.onSaveStarted = (peer, latency) => nemesis.saveStarted(peer, latency);
  inv.onTermPersisted = (peer, term) => nemesis.termPersisted(peer, term);
  const off = sim.onStep(() => {
    inv.check();
    nemesis.observeTerm(inv.maxTerm);
  });
  let proposals = 0;
  let stopped = false;
  try {
    const faults = nemesis.run(t0 + params.faultPhaseMs);
    // At most MAX_PROPOSALS, spread over the whole fault phase.
    const every = Math.max(params.workloadEveryMs, params.faultPhaseMs / MAX_PROPOSALS);
    const workload = (async () => {
      let k = 0;
      while (!stopped && proposals < MAX_PROPOSALS) {
        await sim.clock.sleep(every * (0.5 + rng.float()));
        if (stopped) break;
        const l = leader();
        if (l < 0) continue;
        for (let b = 0; b < params.burst; b++) {
          if (b > 0) await sim.clock.sleep(rng.float() * 2);
          for (let i = 0; i < world.n; i++) {
            if (i !== l && !params.proposeToAll) continue;
            const raft = world.nodes[i]?.raft as RaftPeer<string> | undefined;
            if (raft?.getState().isLeader && raft.start(`c${k++}`).isLeader) proposals += 1;
          }
        }
        if (params.readIndex && rng.chance(0.2)) void checkedRead(world, inv, l);
      }
    })();
    await faults;
    stopped = true;
    await workload;
    await liveness(sim, world, nemesis, services);
    const seconds = (sim.clock.now() - t0) / 1000;
    checkEfficiency(world, inv, inv.appendedEntries, seconds);
    return {
      seconds,
      peers: params.servers,
      rpcs: world.net.totalRpcCount(),
      bytes: world.net.totalBytes(),
      ops: inv.maxCommit,
    };
  } finally {
    stopped = true;
    nemesis.stop();
    inv.active = false;
    off();
    world.cleanup();
  }
}

/** The live peer that believes it leads with the highest term, or -1. */
export function currentLeader(world: SwarmWorld): number {
  let best = -1;
  let bestTerm = -1;
  for (let i = 0; i < world.n; i++) {
    const st = world.nodes[i]?.raft.getState();
    if (st?.isLeader && st.term > bestTerm) {
      best = i;
      bestTerm = st.term;
    }
  }
  return best;
}

/** A ReadIndex request must return an index covering everything committed before it began. */
async function checkedRead(world: SwarmWorld, inv: RaftInvariants, i: number): Promise<void> {
  const floor = inv.maxCommit;
  const raft = world.nodes[i]?.raft;
  if (raft === undefined) return;
  const r = await raft.readIndex();
  if (r.ok && inv.active && r.index < floor) {
    try {
      inv.fail(
        'read-index',
        `peer ${i} answered a read at index ${r.index}, but ${floor} was committed before the read began`,
      );
    } catch {
      // Recorded: the simulation fails the run at its next step.
    }
  }
}

/**
 * Heals every fault and restarts every crashed peer, then requires a leader
 * to commit a fresh command and every peer to apply it within LIVENESS_MS.
 */
async function liveness(
  sim: Simulation,
  world: SwarmWorld,
  nemesis: Nemesis,
  services: (ChainService | undefined)[],
): Promise<void> {
  nemesis.stop();
  nemesis.healed = true;
  world.healNetwork();
  for (let i = 0; i < world.n; i++) world.start(i);
  sim.trace('swarm', 'healed');
  const deadline = sim.clock.now() + LIVENESS_MS;
  let index = -1;
  let attempt = 0;
  while (index < 0) {
    if (sim.clock.now() > deadline) {
      throw livenessFailure(world, services, 'no leader committed a fresh proposal');
    }
    const l = currentLeader(world);
    if (l >= 0) {
      const raft = world.nodes[l]!.raft as RaftPeer<string>;
      const cmd = `liveness-${attempt++}`;
      const r = raft.start(cmd);
      if (r.isLeader) {
        // Wait up to 2 s for it to apply somewhere, else try again.
        const until = Math.min(deadline, sim.clock.now() + 2000);
        while (sim.clock.now() < until && (services[l]?.lastApplied ?? 0) < r.index) {
          await sim.clock.sleep(10);
        }
        if ((services[l]?.lastApplied ?? 0) >= r.index) index = r.index;
        continue;
      }
    }
    await sim.clock.sleep(20);
  }
  // A leader elected after the proposal committed cannot commit it again by counting replicas
  // (the Figure 8 rule) and, without noopOnElection, waits for an entry of its own term: every
  // second, propose one to a leader that has not applied `index`, as a retrying client would.
  let nudgedAt = sim.clock.now();
  while (world.nodes.some((_, i) => (services[i]?.lastApplied ?? 0) < index)) {
    if (sim.clock.now() > deadline) {
      throw livenessFailure(world, services, `not every peer applied index ${index}`);
    }
    if (sim.clock.now() - nudgedAt >= 1000) {
      nudgedAt = sim.clock.now();
      const l = currentLeader(world);
      if (l >= 0 && (services[l]?.lastApplied ?? 0) < index)
        (world.nodes[l]!.raft as RaftPeer<string>).start(`liveness-${attempt++}`);
    }
    await sim.clock.sleep(10);
  }
}

function livenessFailure(
  world: SwarmWorld,
  services: (ChainService | undefined)[],
  what: string,
): Error {
  const peers = world.nodes
    .map((node, i) => {
      if (node === undefined) return `${i}: down`;
      const s = node.raft.status();
      return `${i}: ${s.role} term ${s.term} commit ${s.commitIndex} applied ${services[i]?.lastApplied ?? 0} last ${s.lastIndex}`;
    })
    .join('; ');
  return new InvariantViolation(
    `liveness: ${what} within ${LIVENESS_MS / 1000}s after healing [${peers}]`,
  );
}
