import type { Clerk } from '@raftkit/clerk';
import type { LabSummary } from '../lab/lab-test.js';
import { appendElement, checkClntAppends } from './appends.js';
import type { KvConfig } from './config.js';
import { fail } from './fail.js';
import { kvAppend, kvGet, kvPut, OpLog } from './history.js';
import { checkKvHistory } from './linearizability-check.js';
import type { KvTestContext } from './run.js';

/** The lab's electionTimeout allowance (virtual ms). */
export const ELECTION_TIMEOUT_MS = 1000;

export interface GenericTestOptions {
  part: '4A' | '4B';
  nclients: number;
  nservers: number;
  unreliable: boolean;
  crash: boolean;
  partitions: boolean;
  /** -1: never snapshot, and SnapshotSize must stay 0. */
  maxRaftState: number;
  randomKeys: boolean;
  /** Client-phase iterations (lab: 3). */
  iterations?: number;
  /** Virtual ms the clients run per iteration (lab: 5000). */
  clientMs?: number;
}

/** Lab title: "Test: unreliable net, restarts, partitions, snapshots, random keys, many clients (4B)". */
export function genericTitle(o: GenericTestOptions): string {
  let title = 'Test: ';
  if (o.unreliable) title += 'unreliable net, ';
  if (o.crash) title += 'restarts, ';
  if (o.partitions) title += 'partitions, ';
  if (o.maxRaftState !== -1) title += 'snapshots, ';
  if (o.randomKeys) title += 'random keys, ';
  title += o.nclients > 1 ? 'many clients' : 'one client';
  return `${title} (${o.part})`;
}

/**
 * Lab `spawn_clients_and_wait` without the wait: runs `fn` for each of `n` clients, each on a
 * fresh clerk connected to every server, deleted afterwards. A client that fails fails the
 * whole test at once (through `sim.fail`). Resolves to each client's result.
 */
export function spawnClients<T>(
  ctx: KvTestContext,
  cfg: KvConfig,
  n: number,
  fn: (cli: number, ck: Clerk) => Promise<T>,
): Promise<T[]> {
  const tasks = Array.from({ length: n }, async (_, cli) => {
    const ck = cfg.makeClient(cfg.all());
    try {
      return await fn(cli, ck);
    } finally {
      cfg.deleteClient(ck);
    }
  });
  for (const t of tasks) t.catch((error: unknown) => ctx.sim.fail(error));
  return Promise.all(tasks);
}

/**
 * Lab partitioner: until stopped, puts each server in group 0 or 1 at random (possibly all in
 * one), applies the partition, sleeps 1 s + rand(0..199) ms. Resolves when it has exited.
 */
async function partitioner(cfg: KvConfig, stop: { done: boolean }): Promise<void> {
  const rng = cfg.rng;
  while (!stop.done) {
    const groups: [number[], number[]] = [[], []];
    for (let i = 0; i < cfg.n; i++) groups[rng.int(0, 1)]!.push(i);
    cfg.partition(groups[0], groups[1]);
    await cfg.sim.clock.sleep(ELECTION_TIMEOUT_MS + rng.int(0, 199));
  }
}

/** Lab `GenericTest`: 3 iterations of clients, optional partitions and crashes, then the checks. */
export async function genericTest(ctx: KvTestContext, o: GenericTestOptions): Promise<LabSummary> {
  const iterations = o.iterations ?? 3;
  const clientMs = o.clientMs ?? 5000;
  const cfg = ctx.makeConfig({
    n: o.nservers,
    unreliable: o.unreliable,
    maxRaftState: o.maxRaftState,
  });
  const clock = ctx.sim.clock;
  cfg.begin(genericTitle(o));
  const opLog = new OpLog();
  const ck = cfg.makeClient(cfg.all());

  for (let iter = 0; iter < iterations; iter++) {
    const stopClients = { done: false };
    const stopPartitioner = { done: false };
    const clients = spawnClients(ctx, cfg, o.nclients, async (cli, myck) => {
      const rng = ctx.sim.rng.fork(`client-${iter}-${cli}`);
      let j = 0;
      let last = ''; // only used when not randomKeys
      if (!o.randomKeys) await kvPut(cfg, myck, String(cli), last, opLog, cli);
      while (!stopClients.done) {
        const key = o.randomKeys ? String(rng.int(0, o.nclients - 1)) : String(cli);
        const nv = appendElement(cli, j);
        if (rng.int(0, 999) < 500) {
          await kvAppend(cfg, myck, key, nv, opLog, cli);
          if (!o.randomKeys) last += nv;
          j++;
        } else if (o.randomKeys && rng.int(0, 999) < 100) {
          await kvPut(cfg, myck, key, nv, opLog, cli);
          j++;
        } else {
          const v = await kvGet(cfg, myck, key, opLog, cli);
          if (!o.randomKeys && v !== last) {
            fail('get-wrong-value', `get wrong value, key ${key}, wanted:\n${last}\n, got\n${v}\n`);
          }
        }
      }
      return j;
    });

    let partitionerDone: Promise<void> | undefined;
    if (o.partitions) {
      // Let the clients make some progress before the partitions start.
      await clock.sleep(1000);
      partitionerDone = partitioner(cfg, stopPartitioner);
    }
    await clock.sleep(clientMs);
    stopClients.done = true;
    stopPartitioner.done = true;

    if (partitionerDone !== undefined) {
      await partitionerDone;
      cfg.connectAll();
      // An op blocked in a minority completes only once a new term exists.
      await clock.sleep(ELECTION_TIMEOUT_MS);
    }
    if (o.crash) {
      for (let i = 0; i < o.nservers; i++) cfg.shutdownServer(i);
      // Client ops in flight must complete once the servers are back.
      await clock.sleep(ELECTION_TIMEOUT_MS);
      for (let i = 0; i < o.nservers; i++) cfg.startServer(i);
      cfg.connectAll();
    }

    const counts = await clients;
    for (let i = 0; i < o.nclients; i++) {
      const v = await kvGet(cfg, ck, String(i), opLog, 0);
      if (!o.randomKeys) checkClntAppends(i, v, counts[i]!);
    }
    if (o.maxRaftState > 0) {
      const sz = cfg.logSize();
      if (sz > 8 * o.maxRaftState) {
        fail('logs-not-trimmed', `logs were not trimmed (${sz} > 8*${o.maxRaftState})`);
      }
    }
    if (o.maxRaftState < 0) {
      const ssz = cfg.snapshotSize();
      if (ssz > 0) {
        fail(
          'snapshot-used',
          `snapshot too large (${ssz}), should not be used when maxraftstate = ${o.maxRaftState}`,
        );
      }
    }
  }

  const checked = await checkKvHistory(ctx, opLog.read());
  return {
    ...cfg.end(),
    linearizability: { verdict: checked.verdict, operations: checked.operations },
  };
}
