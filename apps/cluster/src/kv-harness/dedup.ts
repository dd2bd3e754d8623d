import { type GetArgs, type KvErr, type PutAppendArgs, kvService } from '@raftkit/kv-protocol';
import { serviceClient } from '@raftkit/core';
import type { LabSummary } from '../lab/lab-test.js';
import type { KvConfig } from './config.js';
import { fail } from './fail.js';
import type { KvTestContext } from './run.js';

/**
 * Exactly-once tests: the same request (same clientId and seq) delivered twice straight to the
 * "KVServer" service through raw ends, bypassing the clerk, must take effect once — twice to one
 * leader, concurrently, across a leader change, and across a crash of every server and a restore
 * from snapshot.
 */

type Method = 'Put' | 'Append';

/** One raw call to server i; undefined when the network lost it. */
async function rawCall(
  cfg: KvConfig,
  i: number,
  method: Method | 'Get',
  args: PutAppendArgs | GetArgs,
): Promise<{ err: KvErr; value?: string } | undefined> {
  const { end } = cfg.makeRawEnd('raw', i);
  const client = serviceClient(end, kvService);
  const result =
    method === 'Get'
      ? await client.call('Get', args as GetArgs)
      : await client.call(method, args as PutAppendArgs);
  return result.ok ? result.reply : undefined;
}

/**
 * Delivers `args` to the servers in `to`, round after round, until one answers OK. Returns the
 * server that did. Each attempt is itself a delivery of the same request.
 */
async function deliverUntilOk(
  cfg: KvConfig,
  to: readonly number[],
  method: Method | 'Get',
  args: PutAppendArgs | GetArgs,
  limitMs = 20_000,
): Promise<{ server: number; value: string }> {
  const clock = cfg.sim.clock;
  const deadline = clock.now() + limitMs;
  while (clock.now() < deadline) {
    for (const i of to) {
      const reply = await rawCall(cfg, i, method, args);
      if (reply?.err === 'OK') return { server: i, value: reply.value ?? '' };
      if (reply?.err === 'ErrBadRequest') {
        fail('bad-request', `${method} ${JSON.stringify(args)} rejected by server ${i}`);
      }
    }
    await clock.sleep(50);
  }
  return fail('no-progress', `${method} ${JSON.stringify(args)} got no OK within ${limitMs} ms`);
}

/** Reads per config, so that client ids (and so the trace) depend on the seed only. */
const probes = new WeakMap<KvConfig, number>();

/** A linearizable read through a fresh client id. */
async function readKey(cfg: KvConfig, to: readonly number[], key: string): Promise<string> {
  const n = (probes.get(cfg) ?? 0) + 1;
  probes.set(cfg, n);
  const { value } = await deliverUntilOk(cfg, to, 'Get', { clientId: `probe-${n}`, seq: 1, key });
  return value;
}

function expectValue(key: string, got: string, want: string, what: string): void {
  if (got !== want) {
    fail(
      'duplicate-executed',
      `${what}: ${key} is ${JSON.stringify(got)}, want ${JSON.stringify(want)}`,
    );
  }
}

/** Waits until some running server in `among` believes it leads; returns it. */
async function awaitLeader(cfg: KvConfig, among: readonly number[]): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    for (const i of among) {
      try {
        if (cfg.server(i).raft.getState().isLeader) return i;
      } catch {
        // not running
      }
    }
    await cfg.sim.clock.sleep(50);
  }
  return fail('no-leader', `no leader among ${among.join(',')} after 5 s`);
}

/** The same Append twice to the leader, then concurrently twice more: once in the value. */
export async function duplicateToLeader(ctx: KvTestContext): Promise<LabSummary> {
  const cfg = ctx.makeConfig({ n: 3, unreliable: false, maxRaftState: -1 });
  cfg.begin('Test: duplicate request to one leader executes once');
  const all = cfg.all();
  const a1: PutAppendArgs = { clientId: 'dup-a', seq: 1, key: 'k', value: 'x 0 0 y' };
  await deliverUntilOk(cfg, all, 'Append', a1);
  await deliverUntilOk(cfg, all, 'Append', a1);
  expectValue('k', await readKey(cfg, all, 'k'), 'x 0 0 y', 'sequential duplicate');
  const a2: PutAppendArgs = { ...a1, seq: 2, value: 'x 0 1 y' };
  await Promise.all([
    deliverUntilOk(cfg, all, 'Append', a2),
    deliverUntilOk(cfg, all, 'Append', a2),
    deliverUntilOk(cfg, all, 'Append', a2),
  ]);
  expectValue('k', await readKey(cfg, all, 'k'), 'x 0 0 yx 0 1 y', 'concurrent duplicates');
  // A late copy of the older request (seq 1 after seq 2), to every server: no effect either.
  await Promise.all(all.map((i) => rawCall(cfg, i, 'Append', a1)));
  expectValue('k', await readKey(cfg, all, 'k'), 'x 0 0 yx 0 1 y', 'late older duplicate');
  return cfg.end();
}

/**
 * An Append and a Put committed by leader L; L is cut off; the same requests are delivered
 * to the new leader of the majority (and, after healing, to everyone): no second effect.
 */
export async function duplicateAcrossLeaderChange(ctx: KvTestContext): Promise<LabSummary> {
  const cfg = ctx.makeConfig({ n: 5, unreliable: false, maxRaftState: -1 });
  cfg.begin('Test: duplicate request across a leader change executes once');
  const all = cfg.all();
  const old = await awaitLeader(cfg, all);
  const append: PutAppendArgs = { clientId: 'dup-b', seq: 1, key: 'k', value: 'x 1 0 y' };
  const put: PutAppendArgs = { clientId: 'dup-c', seq: 1, key: 'p', value: 'first' };
  await deliverUntilOk(cfg, [old], 'Append', append);
  await deliverUntilOk(cfg, [old], 'Put', put);
  // A later Put by someone else: re-executing `put` would bring "first" back.
  await deliverUntilOk(cfg, [old], 'Put', { clientId: 'other', seq: 1, key: 'p', value: 'second' });

  const rest = all.filter((i) => i !== old);
  cfg.partition(rest, [old]);
  const fresh = await awaitLeader(cfg, rest);
  if (fresh === old) fail('no-leader-change', 'the old leader is still the only leader');
  const via = await deliverUntilOk(cfg, rest, 'Append', append);
  await deliverUntilOk(cfg, rest, 'Put', put);
  if (via.server === old) fail('no-leader-change', 'the duplicate reached the old leader');
  expectValue('k', await readKey(cfg, rest, 'k'), 'x 1 0 y', 'Append after leader change');
  expectValue('p', await readKey(cfg, rest, 'p'), 'second', 'Put after leader change');

  cfg.connectAll();
  await ctx.sim.clock.sleep(1000);
  await deliverUntilOk(cfg, all, 'Append', append);
  expectValue('k', await readKey(cfg, all, 'k'), 'x 1 0 y', 'Append after heal');
  return cfg.end();
}

/**
 * An Append and a Put commit; many other writes push them into a snapshot on every server;
 * every server crashes and restarts from its snapshot; the same requests delivered again do
 * nothing (the duplicate table lives in the snapshot).
 */
export async function duplicateAcrossSnapshotRestore(ctx: KvTestContext): Promise<LabSummary> {
  const maxRaftState = 400;
  const cfg = ctx.makeConfig({ n: 3, unreliable: false, maxRaftState });
  cfg.begin('Test: duplicate request across a snapshot restore executes once');
  const all = cfg.all();
  const append: PutAppendArgs = { clientId: 'dup-d', seq: 1, key: 'k', value: 'x 2 0 y' };
  const put: PutAppendArgs = { clientId: 'dup-e', seq: 1, key: 'p', value: 'first' };
  await deliverUntilOk(cfg, all, 'Append', append);
  await deliverUntilOk(cfg, all, 'Put', put);
  await deliverUntilOk(cfg, all, 'Put', { clientId: 'other', seq: 1, key: 'p', value: 'second' });
  const ck = cfg.makeClient(all);
  for (let i = 0; i < 100; i++) await ck.put(`filler-${i % 5}`, String(i));
  // Every server must have compacted past the duplicated requests' entries.
  await ctx.sim.clock.sleep(500);
  for (const i of all) {
    const p = cfg.persister(i);
    const meta = p.load().snapshotMeta;
    if (p.snapshotSize() === 0 || meta.index < 5) {
      fail(
        'no-snapshot',
        `server ${i} has not snapshotted past the requests (index ${meta.index})`,
      );
    }
  }
  for (const i of all) cfg.shutdownServer(i);
  await ctx.sim.clock.sleep(1000);
  for (const i of all) cfg.startServer(i);
  cfg.connectAll();

  await deliverUntilOk(cfg, all, 'Append', append);
  await deliverUntilOk(cfg, all, 'Put', put);
  expectValue('k', await readKey(cfg, all, 'k'), 'x 2 0 y', 'Append after snapshot restore');
  expectValue('p', await readKey(cfg, all, 'p'), 'second', 'Put after snapshot restore');
  return cfg.end();
}
