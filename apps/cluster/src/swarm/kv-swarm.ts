import { Clerk } from '@raftkit/clerk';
import { KvServer } from '@raftkit/kvserver';
import type { Simulation } from '@raftkit/labrpc';
import { checkOperations, kvModel } from '@raftkit/linearizability';
import type { LabSummary } from '../lab/lab-test.js';
import type { KvOperation } from '../kv-harness/history.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkStepBudget,
  historyJson,
  toCheckerOperations,
} from '../kv-harness/linearizability-check.js';
import { traceDir } from '../lab/run-lab-test.js';
import { checkEfficiency } from './efficiency.js';
import { InvariantViolation, RaftInvariants } from './invariants.js';
import { Nemesis } from './nemesis.js';
import { describeParams, drawParams } from './params.js';
import { currentLeader, LIVENESS_MS } from './raft-swarm.js';
import { SwarmWorld } from './world.js';

/** At most this many operations per clerk (keeps the history checkable and the run cheap). */
const MAX_OPS_PER_CLERK = 120;

/**
 * One key/value-level swarm run: KvServers under the same seed-drawn faults
 * as the Raft level (same invariants after every step, plus: replicas at the
 * same applied index have equal state digests), clerks doing Put/Append/Get
 * on a few keys, then healing, then liveness (every clerk finishes, a fresh
 * Put completes and every server applies it), then the history is checked
 * for linearizability within a step budget (a verdict that is a function of
 * the seed).
 */
export async function kvSwarm(sim: Simulation): Promise<LabSummary> {
  const params = drawParams(sim.rng.fork('swarm-params'));
  sim.trace('swarm', 'params', { level: 'kv', params: describeParams(params) });
  const inv = new RaftInvariants(sim);
  const servers: (KvServer | undefined)[] = new Array(params.servers).fill(undefined);
  const maxRaftState = params.snapshotEvery > 0 ? params.snapshotEvery * 100 : -1;
  const world = new SwarmWorld(sim, params, inv, (ctx) => {
    const kv = new KvServer({
      peers: ctx.ends,
      me: ctx.i,
      persister: ctx.storage,
      maxRaftState,
      clock: ctx.clock,
      rng: sim.rng.fork(`kv-${ctx.i}-${ctx.incarnation}`),
      logger: sim.logger,
      getMode: params.readIndex ? 'read-index' : 'log',
      raft: {
        preVote: params.preVote,
        checkQuorum: params.checkQuorum,
        maxEntriesPerAppend: params.maxEntriesPerAppend,
        maxInflightAppends: params.maxInflightAppends,
      },
    });
    servers[ctx.i] = kv;
    return { raft: kv.raft, register: (server) => kv.register(server), kill: () => kv.kill() };
  });
  inv.attach(world);
  const digests = new DigestCheck(inv);
  const nemesis = new Nemesis(world, params, sim.rng.fork('swarm-nemesis'), () =>
    currentLeader(world),
  );
  inv.onSaveStarted = (peer, latency) => nemesis.saveStarted(peer, latency);
  inv.onTermPersisted = (peer, term) => nemesis.termPersisted(peer, term);
  const off = sim.onStep(() => {
    inv.check();
    for (let i = 0; i < world.n; i++) if (world.alive(i)) digests.check(i, servers[i]!);
    nemesis.observeTerm(inv.maxTerm);
  });
  const t0 = sim.clock.now();
  const history: KvOperation[] = [];
  let stopped = false;
  let clerkSeq = 0;
  const makeClerk = () => {
    const id = clerkSeq++;
    const ends = Array.from({ length: world.n }, (_, j) => {
      const name = `c${id}->s${j}`;
      const end = world.net.makeEnd(name, `c${id}`);
      world.net.connect(name, String(j));
      world.net.enable(name, true);
      return end;
    });
    return new Clerk(ends, { clock: sim.clock, rng: sim.rng.fork(`clerk-${id}`) });
  };
  const micros = () => Math.round(sim.clock.now() * 1000);
  try {
    const faults = nemesis.run(t0 + params.faultPhaseMs);
    const clients = Array.from({ length: params.clients }, async (_, c) => {
      const ck = makeClerk();
      const rng = sim.rng.fork(`swarm-client-${c}`);
      for (let k = 0; k < MAX_OPS_PER_CLERK && !stopped; k++) {
        await sim.clock.sleep(params.workloadEveryMs * rng.float());
        if (stopped) break;
        const key = `k${rng.int(0, params.keys - 1)}`;
        const draw = rng.float();
        const call = micros() + 1;
        if (draw < 0.3) {
          const output = await ck.get(key);
          history.push({ client: c, kind: 'get', key, value: '', output, call, return: micros() });
        } else {
          const kind = draw < 0.45 ? 'put' : 'append';
          const value = `${c}.${k};`;
          await (kind === 'put' ? ck.put(key, value) : ck.append(key, value));
          history.push({ client: c, kind, key, value, output: '', call, return: micros() });
        }
      }
    });
    for (const c of clients) c.catch((error: unknown) => sim.fail(error));
    await faults;
    stopped = true;
    // Liveness: heal, restart everyone; every clerk finishes; a fresh Put completes and applies.
    nemesis.stop();
    nemesis.healed = true;
    world.healNetwork();
    for (let i = 0; i < world.n; i++) world.start(i);
    sim.trace('swarm', 'healed');
    const deadline = sim.clock.now() + LIVENESS_MS;
    const cancel = new AbortController();
    const timedOut = sim.clock.sleep(LIVENESS_MS, cancel.signal).then(
      () => true,
      () => false,
    );
    const late = await Promise.race([Promise.all(clients).then(() => false), timedOut]);
    cancel.abort();
    if (late) {
      throw new InvariantViolation(
        `liveness: not every clerk finished within ${LIVENESS_MS / 1000}s after healing`,
      );
    }
    const fresh = makeClerk();
    const remaining = Math.max(1, deadline - sim.clock.now());
    try {
      await fresh.put('liveness', 'ok', { timeoutMs: remaining });
    } catch {
      throw new InvariantViolation(
        `liveness: a fresh Put did not complete within ${LIVENESS_MS / 1000}s after healing`,
      );
    }
    const l = currentLeader(world);
    const target = l >= 0 ? world.nodes[l]!.raft.status().commitIndex : inv.maxCommit;
    while (servers.some((kv, i) => world.alive(i) && kv!.appliedIndex < target)) {
      if (sim.clock.now() > deadline) {
        const applied = servers.map((kv) => kv?.appliedIndex ?? -1).join(', ');
        throw new InvariantViolation(
          `liveness: not every server applied index ${target} within ${LIVENESS_MS / 1000}s after healing (applied: ${applied})`,
        );
      }
      await sim.clock.sleep(10);
    }
    const seconds = (sim.clock.now() - t0) / 1000;
    checkEfficiency(world, inv, inv.appendedEntries, seconds, { bytes: false });
    const summary: LabSummary = {
      seconds,
      peers: params.servers,
      rpcs: world.net.totalRpcCount(),
      bytes: world.net.totalBytes(),
      ops: history.length,
    };
    inv.active = false;
    checkHistory(sim, history);
    return summary;
  } finally {
    stopped = true;
    nemesis.stop();
    inv.active = false;
    off();
    world.cleanup();
  }
}

/** Replicas that have applied the same index must hold the same state. */
class DigestCheck {
  private readonly seen: number[] = [];
  private readonly byIndex = new Map<number, { digest: number; server: number }>();

  constructor(private readonly inv: RaftInvariants) {}

  check(i: number, kv: KvServer): void {
    const applied = kv.appliedIndex;
    if (this.seen[i] === applied) return;
    this.seen[i] = applied;
    const digest = kv.stateDigest();
    const known = this.byIndex.get(applied);
    if (known === undefined) this.byIndex.set(applied, { digest, server: i });
    else if (known.digest !== digest) {
      this.inv.fail(
        'replica-divergence',
        `servers ${known.server} and ${i} have applied index ${applied} but hold different states`,
      );
    }
  }
}

/** The history against the kv model, within the tester's step budget (unknown fails too). */
function checkHistory(sim: Simulation, history: readonly KvOperation[]): void {
  const operations = toCheckerOperations(history);
  const maxSteps = checkStepBudget();
  const result = checkOperations(kvModel, operations, { maxSteps });
  sim.trace('swarm', 'linearizability', {
    verdict: result.verdict,
    operations: result.operations,
    steps: result.partitions.reduce((n, p) => n + p.steps, 0),
  });
  if (result.verdict === 'ok') return;
  // The history, in the checker's JSON, for `raftkit-check` and the visualisation.
  const dir = traceDir();
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `SwarmKv-seed${sim.seed}.history.json`);
  writeFileSync(path, historyJson(operations));
  if (result.verdict === 'illegal') {
    const keys = result.partitions
      .filter((p) => p.verdict === 'illegal')
      .map((p) => p.key)
      .join(', ');
    throw new InvariantViolation(
      `not-linearizable: the history of ${history.length} operations is not linearizable (keys ${keys}); history: ${path}`,
    );
  }
  throw new InvariantViolation(
    `checker-budget: linearizability undecided after ${maxSteps} search steps (${history.length} operations); history: ${path}`,
  );
}
