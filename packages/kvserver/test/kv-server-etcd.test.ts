import type { ExecuteReply, KvRequest, RangeResult } from '@raftkit/kv-protocol';
import { describe, expect, it } from 'vitest';
import { type SimKvGroup, simKvGroup } from '../src/testing/index.js';

const seed = Number(process.env.SEED ?? 1);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Executes `request` at server i through the Execute RPC until it answers (anonymous id). */
async function exec(g: SimKvGroup, i: number, request: KvRequest): Promise<ExecuteReply> {
  for (let n = 0; n < 100; n++) {
    const r = await g.client(i).call('Execute', { clientId: '', seq: 0, request });
    if (r.ok && r.reply.err !== 'ErrWrongLeader' && r.reply.err !== 'ErrTimeout') return r.reply;
    await g.sim.clock.sleep(50);
  }
  throw new Error(`${request.op} never answered`);
}

describe('KvServer: etcd model in the simulated group', () => {
  it('serializable reads answer from the local replica; linearizable ones only on the leader', async () => {
    console.log(`seed=${seed}`);
    const g = simKvGroup({ n: 3, seed });
    await g.sim.run(async () => {
      const leader = await g.waitForLeader();
      await exec(g, leader, { op: 'put', key: 'k', value: 'v1' });
      await g.sim.clock.sleep(500); // followers apply
      const f = (leader + 1) % 3;
      g.disconnect(f);
      await exec(g, leader === 0 ? 1 : 0, { op: 'put', key: 'k', value: 'v2' }).catch(() => {});
      const local = await g.client(f).call('Execute', {
        clientId: '',
        seq: 0,
        request: { op: 'range', key: 'k', serializable: true },
      });
      if (!local.ok) throw new Error('lost');
      expect(local.reply.err).toBe('OK');
      const kv = (local.reply.result as RangeResult).kvs[0]!;
      expect(text(kv.value)).toBe('v1'); // stale, as etcd's serializable reads may be
      const lin = await g.client(f).call('Execute', {
        clientId: '',
        seq: 0,
        request: { op: 'range', key: 'k' },
      });
      expect(lin.ok && lin.reply.err).not.toBe('OK');
    });
    g.shutdown();
  });

  it('route() forwards from a follower to the leader and then reads its own write; no leader answers at once', async () => {
    const g = simKvGroup({ n: 3, seed });
    await g.sim.run(async () => {
      const leader = await g.waitForLeader();
      const f = (leader + 1) % 3;
      const put = await g.servers[f]!.route({ op: 'put', key: 'a', value: 'x', prevKv: true });
      expect(put.err).toBe('OK');
      expect(put.result).toMatchObject({ op: 'put', revision: 2 });
      const read = await g.servers[f]!.route({ op: 'range', key: 'a', serializable: true });
      expect(text((read.result as RangeResult).kvs[0]!.value)).toBe('x');
      // Cut everyone off: once the followers forget the leader, route() says so at once.
      for (let i = 0; i < 3; i++) g.disconnect(i);
      await g.sim.clock.sleep(3000);
      const lonely = g.servers.findIndex((s) => s?.status().leader === -1);
      expect(lonely).toBeGreaterThanOrEqual(0);
      const t0 = g.sim.clock.now();
      const none = await g.servers[lonely]!.route({ op: 'put', key: 'a', value: 'y' });
      expect(none.err).toBe('ErrNoLeader');
      expect(g.sim.clock.now()).toBe(t0);
    });
    g.shutdown();
  });

  it('status: replicas at the same applied index report the same revision, key count and store hash', async () => {
    const g = simKvGroup({ n: 3, seed, server: { maxRaftState: 2000 } });
    await g.sim.run(async () => {
      const leader = await g.waitForLeader();
      for (let i = 0; i < 40; i++) {
        await exec(g, leader, {
          op: 'txn',
          success: [
            { op: 'put', key: `k${i % 5}`, value: `v${i}` },
            { op: 'deleteRange', key: `k${(i + 2) % 5}` },
          ],
        });
      }
      await g.sim.clock.sleep(1000);
      const statuses = g.servers.map((s) => s!.status());
      expect(new Set(statuses.map((s) => s.appliedIndex)).size).toBe(1);
      expect(new Set(statuses.map((s) => s.storeHash)).size).toBe(1);
      expect(statuses[0]!.revision).toBe(41);
      expect(statuses[0]!.keyCount).toBe(statuses[1]!.keyCount);
      expect(statuses.some((s) => s.snapshotIndex > 0)).toBe(true);
      const rpc = await g.client(leader).call('Status', {});
      expect(rpc.ok && rpc.reply.status.storeHash).toBe(statuses[0]!.storeHash);
    });
    g.shutdown();
  });

  it('a lease expires on the leader after its TTL and its keys are deleted everywhere', async () => {
    const g = simKvGroup({ n: 3, seed });
    await g.sim.run(async () => {
      const leader = await g.waitForLeader();
      const grant = await exec(g, leader, { op: 'leaseGrant', ttl: 2 });
      const id = (grant.result as { id: number }).id;
      expect(id).toBeGreaterThan(0);
      await exec(g, leader, { op: 'put', key: 'session', value: 'alive', lease: id });
      await g.sim.clock.sleep(1000);
      expect(g.servers.every((s) => s!.status().keyCount === 1)).toBe(true);
      await g.sim.clock.sleep(3000);
      expect(g.servers.map((s) => s!.status().keyCount)).toEqual([0, 0, 0]);
      const again = await exec(g, leader, { op: 'leaseRevoke', id });
      expect(again.err).toBe('ErrLeaseNotFound');
    });
    g.shutdown();
  });

  it('the server refuses what cannot round-trip too (lone surrogates), whoever sends it', async () => {
    const g = simKvGroup({ n: 3, seed });
    await g.sim.run(async () => {
      const leader = await g.waitForLeader();
      const kv = g.servers[leader]!;
      const bad = await kv.execute({
        clientId: '',
        seq: 0,
        request: { op: 'put', key: 'key\ud800', value: 'one' },
      });
      expect(bad.err).toBe('ErrBadRequest');
      expect(bad.message).toMatch(/unpaired surrogate/);
      const lab = await kv.putAppend('put', {
        clientId: 'c',
        seq: 1,
        key: 'v',
        value: '\ude00 ok',
      });
      expect(lab.err).toBe('ErrBadRequest');
      expect(kv.status().revision).toBe(1);
    });
    g.shutdown();
  });
});
