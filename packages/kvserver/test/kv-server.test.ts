import { describe, expect, it } from 'vitest';
import { KvServer } from '../src/index.js';
import { type SimKvGroup, simKvGroup } from '../src/testing/index.js';

const seed = Number(process.env.SEED ?? 1);

/** Sends a request to server `i` until it answers OK (raw client, no rotation). */
async function untilOk<T extends { err: string }>(
  g: SimKvGroup,
  call: () => Promise<{ ok: boolean; reply?: T }>,
): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const r = await call();
    if (r.ok && r.reply?.err === 'OK') return r.reply;
    await g.sim.clock.sleep(20);
  }
  throw new Error('request never succeeded');
}

describe.each(['read-index', 'log'] as const)('KvServer (gets via %s)', (getMode) => {
  it('put, append and get through the leader; followers refuse', async () => {
    const g = simKvGroup({ n: 3, seed: seed, server: { getMode } });
    await g.sim.run(async () => {
      const leader = await g.waitForLeader();
      const ck = g.client(leader);
      const put = await ck.call('Put', { clientId: 'a', seq: 1, key: 'k', value: 'x' });
      expect(put).toEqual({ ok: true, reply: { err: 'OK' } });
      await untilOk(g, () => ck.call('Append', { clientId: 'a', seq: 2, key: 'k', value: 'y' }));
      await untilOk(g, () => ck.call('Append', { clientId: 'a', seq: 3, key: 'new', value: 'z' }));
      expect(
        (await untilOk(g, () => ck.call('Get', { clientId: 'a', seq: 4, key: 'k' }))).value,
      ).toBe('xy');
      expect(
        (await untilOk(g, () => ck.call('Get', { clientId: 'a', seq: 5, key: 'new' }))).value,
      ).toBe('z');
      expect(
        (await untilOk(g, () => ck.call('Get', { clientId: 'a', seq: 6, key: 'none' }))).value,
      ).toBe('');
      const follower = (leader + 1) % 3;
      const r = await g
        .client(follower)
        .call('Put', { clientId: 'b', seq: 1, key: 'k', value: 'q' });
      expect(r.ok && r.reply.err).toBe('ErrWrongLeader');
    });
    g.shutdown();
  });

  it('a deposed leader in a minority completes neither a Get nor a Put', async () => {
    const g = simKvGroup({ n: 5, seed: seed, server: { getMode } });
    await g.sim.run(async () => {
      const old = await g.waitForLeader();
      await untilOk(g, () =>
        g.client(old).call('Put', { clientId: 'a', seq: 1, key: 'k', value: '1' }),
      );
      g.disconnect(old);
      const stale = g.client(old);
      const get = stale.call('Get', { clientId: 'm', seq: 1, key: 'k' });
      const put = stale.call('Put', { clientId: 'm', seq: 2, key: 'k', value: 'minority' });
      const fresh = await g.waitForLeader();
      expect(fresh).not.toBe(old);
      await untilOk(g, () =>
        g.client(fresh).call('Put', { clientId: 'b', seq: 1, key: 'k', value: '2' }),
      );
      const [getReply, putReply] = await Promise.all([get, put]);
      expect(getReply.ok && getReply.reply.err).not.toBe('OK');
      expect(putReply.ok && putReply.reply.err).not.toBe('OK');
      expect(
        (await untilOk(g, () => g.client(fresh).call('Get', { clientId: 'b', seq: 2, key: 'k' })))
          .value,
      ).toBe('2');
    });
    g.shutdown();
  });
});

describe('KvServer', () => {
  it('executes a duplicated request once, across a leader change and a snapshot restore', async () => {
    const g = simKvGroup({ n: 3, seed: seed, server: { maxRaftState: 300 } });
    await g.sim.run(async () => {
      let leader = await g.waitForLeader();
      const args = { clientId: 'dup', seq: 1, key: 'k', value: 'once ' };
      await untilOk(g, () => g.client(leader).call('Append', args));
      // The same request again, to the same leader.
      await untilOk(g, () => g.client(leader).call('Append', args));
      // Across a leader change.
      g.disconnect(leader);
      leader = await g.waitForLeader();
      await untilOk(g, () => g.client(leader).call('Append', args));
      // Fill the log so every server snapshots, then crash and restart everyone.
      for (let seq = 1; seq <= 40; seq++) {
        await untilOk(g, () =>
          g
            .client(leader)
            .call('Put', { clientId: 'filler', seq, key: `f${seq % 3}`, value: 'v'.repeat(20) }),
        );
      }
      for (let i = 0; i < 3; i++) g.connect(i);
      await g.sim.clock.sleep(1000);
      for (let i = 0; i < 3; i++) g.crash(i);
      expect(
        g
          .all()
          .map((i) => g.storage(i))
          .every((p) => p.snapshotSize() > 0),
      ).toBe(true);
      // Every server restarts from its snapshot (its state starts past index 0, not empty).
      for (let i = 0; i < 3; i++) {
        g.start(i);
        expect(g.server(i).appliedIndex).toBeGreaterThan(0);
      }
      for (let i = 0; i < 3; i++) g.connect(i);
      leader = await g.waitForLeader();
      await untilOk(g, () => g.client(leader).call('Append', args));
      const value = await untilOk(g, () =>
        g.client(leader).call('Get', { clientId: 'r', seq: 1, key: 'k' }),
      );
      expect(value.value).toBe('once ');
      expect(
        Math.max(
          ...g
            .all()
            .map((i) => g.storage(i))
            .map((p) => p.raftStateSize()),
        ),
      ).toBeLessThanOrEqual(8 * 300);
    });
    g.shutdown();
  });

  it('rejects bad requests without changing anything, and keeps serving', async () => {
    const g = simKvGroup({ n: 3, seed: seed, server: { maxValueBytes: 10 } });
    await g.sim.run(async () => {
      const leader = await g.waitForLeader();
      const ck = g.client(leader);
      const bad = [
        { clientId: 'a', seq: 1, key: 'k', value: 'much too long' },
        { clientId: 'a', seq: 1, key: 7, value: 'v' },
        { clientId: '', seq: 1, key: 'k', value: 'v' },
        { clientId: 'a', seq: -1, key: 'k', value: 'v' },
        'not an object',
      ];
      for (const args of bad) {
        const r = await ck.call('Put', args as never);
        expect(r.ok && r.reply.err).toBe('ErrBadRequest');
        expect(r.ok && r.reply.message).toBeTruthy();
      }
      expect(
        (await untilOk(g, () => ck.call('Get', { clientId: 'a', seq: 2, key: 'k' }))).value,
      ).toBe('');
      await untilOk(g, () => ck.call('Put', { clientId: 'a', seq: 3, key: 'k', value: 'fine' }));
      expect(
        (await untilOk(g, () => ck.call('Get', { clientId: 'a', seq: 4, key: 'k' }))).value,
      ).toBe('fine');
    });
    g.shutdown();
  });

  it('validates its options', () => {
    const g = simKvGroup({ n: 1, seed: seed });
    const base = {
      peers: [g.net.makeEnd('x')],
      me: 0,
      persister: g.storage(0),
      clock: g.sim.clock,
      rng: g.sim.rng,
    };
    expect(() => new KvServer({ ...base, maxRaftState: 0 })).toThrow(/maxRaftState/);
    expect(() => new KvServer({ ...base, me: 3, maxRaftState: -1 })).toThrow(/me must be/);
    expect(() => new KvServer({ ...base, maxRaftState: -1, getMode: 'fast' as never })).toThrow(
      /getMode/,
    );
    g.shutdown();
  });
});

describe('lost leadership', () => {
  it(`a waiting write fails at the very instant Raft reports the lost term, not at a poll (seed ${seed})`, async () => {
    const g = simKvGroup({
      n: 3,
      seed,
      server: { requestTimeoutMs: 10_000, raft: { checkQuorum: true } },
    });
    await g.run(async () => {
      const leader = await g.waitForLeader();
      let steppedDownAt = -1;
      g.server(leader).raft.subscribe(({ current }) => {
        if (current.role !== 'leader' && steppedDownAt < 0) steppedDownAt = g.now;
      });
      g.disconnect(leader);
      const put = g.client(leader).call('Put', { clientId: 'w', seq: 1, key: 'k', value: 'v' });
      let answeredAt = -1;
      const reply = await put.then((r) => {
        answeredAt = g.now;
        return r;
      });
      expect(reply).toMatchObject({ ok: true, reply: { err: 'ErrWrongLeader' } });
      expect(steppedDownAt).toBeGreaterThan(0);
      // the reply leaves the server when the step-down is reported (plus one network hop)
      expect(answeredAt - steppedDownAt).toBeLessThan(3);
    });
  });
});
