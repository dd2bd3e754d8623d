import type { Clerk } from '@raftkit/clerk';
import { checkOperations, etcdKvModel } from '@raftkit/linearizability';
import type { Rng } from '@raftkit/core';
import type { LabSummary, LabTest } from '../lab/lab-test.js';
import type { KvConfig } from './config.js';
import { EtcdOpLog } from './etcd-history.js';
import { fail } from './fail.js';
import { ELECTION_TIMEOUT_MS, spawnClients } from './generic-test.js';
import { checkStepBudget } from './linearizability-check.js';
import { type KvTestContext, kvLabTest } from './run.js';

/**
 * Lab-style scenarios for etcd's operations beyond Put/Append/Get: delete, prefix range and
 * txn compare-and-set, each under the lab's faults (unreliable network, partitions, crashes
 * with restarts, snapshots), every history checked against `etcdKvModel`. Shape of the lab's
 * GenericTest: clients run for a while, a partitioner reshuffles the servers, all servers crash
 * and restart between iterations, and at the end the history must be linearizable and the
 * servers must agree on the store.
 */

export type EtcdOpMix = 'delete' | 'range' | 'txn' | 'all';

export interface EtcdScenarioOptions {
  title: string;
  mix: EtcdOpMix;
  nclients: number;
  nservers: number;
  unreliable: boolean;
  crash: boolean;
  partitions: boolean;
  maxRaftState: number;
  iterations?: number;
  clientMs?: number;
}

/** Namespaces and keys per namespace: few, so operations collide. */
const NAMESPACES = 3;
const KEYS = 4;

async function oneOp(
  mix: EtcdOpMix,
  log: EtcdOpLog,
  cli: number,
  ck: Clerk,
  rng: Rng,
  j: number,
): Promise<void> {
  const ns = `ns${rng.int(0, NAMESPACES - 1)}`;
  const key = `${ns}/k${rng.int(0, KEYS - 1)}`;
  const value = `${cli}.${j}`;
  const roll = rng.int(0, 99);
  const family = mix === 'all' ? (['delete', 'range', 'txn'] as const)[rng.int(0, 2)]! : mix;
  if (roll < 35) return void (await log.put(cli, ck, key, value));
  if (roll < 50) return void (await log.get(cli, ck, key));
  switch (family) {
    case 'delete':
      await log.delete(cli, ck, roll < 80 ? key : `${ns}/`, roll >= 80);
      return;
    case 'range':
      if (roll < 60) await log.delete(cli, ck, key, false);
      else await log.range(cli, ck, `${ns}/`);
      return;
    case 'txn': {
      // Compare-and-set from what was just read, or create-if-absent, or delete-if-equal.
      const seen = (await log.get(cli, ck, key)).value;
      const to = roll < 85 ? value : null;
      await log.cas(cli, ck, key, seen, seen === null && to === null ? value : to);
      return;
    }
    default:
      return;
  }
}

async function partitioner(cfg: KvConfig, stop: { done: boolean }): Promise<void> {
  while (!stop.done) {
    const groups: [number[], number[]] = [[], []];
    for (let i = 0; i < cfg.n; i++) groups[cfg.rng.int(0, 1)]!.push(i);
    cfg.partition(groups[0], groups[1]);
    await cfg.sim.clock.sleep(ELECTION_TIMEOUT_MS + cfg.rng.int(0, 199));
  }
}

export async function etcdScenario(
  ctx: KvTestContext,
  o: EtcdScenarioOptions,
): Promise<LabSummary> {
  const cfg = ctx.makeConfig({
    n: o.nservers,
    unreliable: o.unreliable,
    maxRaftState: o.maxRaftState,
  });
  const clock = ctx.sim.clock;
  cfg.begin(o.title);
  const log = new EtcdOpLog(cfg);
  for (let iter = 0; iter < (o.iterations ?? 3); iter++) {
    const stopClients = { done: false };
    const stopPartitioner = { done: false };
    const clients = spawnClients(ctx, cfg, o.nclients, async (cli, ck) => {
      const rng = ctx.sim.rng.fork(`etcd-client-${iter}-${cli}`);
      let j = 0;
      while (!stopClients.done) await oneOp(o.mix, log, cli, ck, rng, j++);
      return j;
    });
    let partitions: Promise<void> | undefined;
    if (o.partitions) {
      await clock.sleep(1000);
      partitions = partitioner(cfg, stopPartitioner);
    }
    await clock.sleep(o.clientMs ?? 5000);
    stopClients.done = true;
    stopPartitioner.done = true;
    if (partitions !== undefined) {
      await partitions;
      cfg.connectAll();
      await clock.sleep(ELECTION_TIMEOUT_MS);
    }
    if (o.crash) {
      for (let i = 0; i < o.nservers; i++) cfg.shutdownServer(i);
      await clock.sleep(ELECTION_TIMEOUT_MS);
      for (let i = 0; i < o.nservers; i++) cfg.startServer(i);
      cfg.connectAll();
    }
    await clients;
    if (o.maxRaftState > 0 && cfg.logSize() > 8 * o.maxRaftState)
      fail('logs-not-trimmed', `logs were not trimmed (${cfg.logSize()} > 8*${o.maxRaftState})`);
  }
  // A write in the current term commits everything before it (a new leader commits nothing
  // of an earlier term on its own), so every server can catch up.
  const ck = cfg.makeClient(cfg.all());
  await log.put(-1, ck, 'ns0/done', 'yes');
  await agreeOnStore(cfg);
  const result = checkOperations(etcdKvModel, log.ops, { maxSteps: checkStepBudget() });
  ctx.log(
    `  linearizability (etcd-kv): ${result.verdict}, ${result.operations} ops in ` +
      `${result.partitions.length} namespaces, checked in ${result.elapsedMs.toFixed(0)} ms wall`,
  );
  if (result.verdict !== 'ok') {
    const bad = result.partitions
      .filter((p) => p.verdict !== 'ok')
      .map((p) => `${p.key}:${p.verdict}`);
    fail('not-linearizable', `etcd-model history is ${result.verdict} (${bad.join(', ')})`);
  }
  return cfg.end();
}

/** After healing, every server reaches the same applied index, revision and store hash. */
async function agreeOnStore(cfg: KvConfig): Promise<void> {
  cfg.connectAll();
  let last = '';
  for (let tries = 0; tries < 50; tries++) {
    await cfg.sim.clock.sleep(200);
    const st = cfg.all().map((i) => cfg.server(i).status());
    last = st.map((s) => `${s.appliedIndex}/${s.revision}/${s.storeHash.slice(0, 8)}`).join(' ');
    if (st.every((s) => s.appliedIndex === st[0]!.appliedIndex && s.storeHash === st[0]!.storeHash))
      return;
  }
  fail('replicas-disagree', `servers never agreed on the store: ${last}`);
}

function scenario(
  name: string,
  description: string,
  o: Omit<EtcdScenarioOptions, 'title'>,
): LabTest {
  return kvLabTest(name, 'etcd', description, (ctx) =>
    etcdScenario(ctx, { ...o, title: `Test: ${description} (etcd)` }),
  );
}

/** One scenario per new operation family, and one with every family and every fault. */
export const etcdScenarios: readonly LabTest[] = [
  scenario(
    'EtcdDeleteUnreliablePartitions',
    'deletes of keys and prefixes, unreliable net, partitions',
    {
      mix: 'delete',
      nclients: 5,
      nservers: 5,
      unreliable: true,
      crash: false,
      partitions: true,
      maxRaftState: -1,
    },
  ),
  scenario('EtcdPrefixRangeRestartsSnapshots', 'prefix ranges with deletes, restarts, snapshots', {
    mix: 'range',
    nclients: 5,
    nservers: 5,
    unreliable: false,
    crash: true,
    partitions: false,
    maxRaftState: 1000,
  }),
  scenario('EtcdTxnCasPartitionsSnapshots', 'txn compare-and-set, partitions, snapshots', {
    mix: 'txn',
    nclients: 5,
    nservers: 5,
    unreliable: false,
    crash: false,
    partitions: true,
    maxRaftState: 1000,
  }),
  scenario(
    'EtcdAllOpsUnreliableRestartsPartitionsSnapshots',
    'delete, prefix range and txn, unreliable net, restarts, partitions, snapshots',
    {
      mix: 'all',
      nclients: 7,
      nservers: 5,
      unreliable: true,
      crash: true,
      partitions: true,
      maxRaftState: 1000,
    },
  ),
];
