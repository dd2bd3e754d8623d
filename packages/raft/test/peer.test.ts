import type { MemoryPersister } from '@raftkit/persister';
import { InvalidArgumentError, RaftkitError } from '@raftkit/core';
import { describe, expect, it } from 'vitest';
import {
  PeerKilledError,
  RaftPeer,
  ReadIndexDisabledError,
  SnapshotIndexError,
} from '../src/index.js';
import { simRaftCluster } from '../src/testing/index.js';

describe('RaftPeer', () => {
  it('elects a leader, replicates, and applies in index order on every peer', async () => {
    const c = simRaftCluster({ n: 3 });
    await c.run(async () => {
      const leader = await c.waitLeader();
      const follower = (leader + 1) % 3;
      expect(c.peers[follower]!.start('x')).toEqual({
        index: -1,
        term: c.peers[follower]!.getState().term,
        isLeader: false,
      });
      for (let k = 1; k <= 5; k++) expect(c.peers[leader]!.start(`cmd${k}`).index).toBe(k);
      await c.sim.clock.sleep(200);
      for (let i = 0; i < 3; i++) {
        expect(c.commands(i)).toEqual(['cmd1', 'cmd2', 'cmd3', 'cmd4', 'cmd5']);
        expect(c.applied[i]!.map((m) => m.index)).toEqual([1, 2, 3, 4, 5]);
      }
    });
  });

  it('coalesces commands started in one event into one AppendEntries per follower', async () => {
    // slow heartbeats, so that none falls inside the measured window
    const c = simRaftCluster({
      n: 3,
      raft: {
        heartbeatIntervalMs: 1000,
        electionTimeoutMinMs: 3000,
        electionTimeoutMaxMs: 6000,
      },
    });
    await c.run(async () => {
      const leader = await c.waitLeader();
      await c.sim.clock.sleep(100);
      const before = c.net.totalRpcCount();
      for (let k = 0; k < 20; k++) c.peers[leader]!.start(k);
      await c.sim.clock.sleep(20); // well inside one heartbeat interval
      // 2 AppendEntries carrying the 20 entries + 2 commit updates
      expect(c.net.totalRpcCount() - before).toBe(4);
      expect(c.commands((leader + 1) % 3)).toHaveLength(20);
    });
  });

  it('persists term, vote and log, and a restarted peer resumes from them', async () => {
    const c = simRaftCluster({ n: 3 });
    await c.run(async () => {
      const leader = await c.waitLeader();
      for (let k = 0; k < 3; k++) c.peers[leader]!.start(k);
      await c.sim.clock.sleep(100);
      const state = c.storage(leader).load();
      expect(state.hardState.term).toBe(c.peers[leader]!.getState().term);
      expect(state.entries.map((e) => e.command)).toEqual([0, 1, 2]);
      const p = c.restart(leader);
      expect(p.status().lastIndex).toBe(3);
      await c.sim.clock.sleep(1500);
      expect(c.commands(leader)).toEqual([0, 1, 2]);
    });
  });

  it('lets the apply sink snapshot re-entrantly and compacts the stored log', async () => {
    const c = simRaftCluster({ n: 3 });
    await c.run(async () => {
      const leader = await c.waitLeader();
      for (let i = 0; i < 3; i++) {
        c.restart(i, (peer, msg) => {
          if (msg.kind === 'command' && msg.index % 5 === 0)
            peer.snapshot(msg.index, new Uint8Array([msg.index]));
        });
      }
      const l = await c.waitLeader();
      for (let k = 0; k < 12; k++) c.peers[l]!.start(k);
      await c.sim.clock.sleep(300);
      for (let i = 0; i < 3; i++) {
        expect(c.peers[i]!.status().snapshotIndex).toBe(10);
        expect(c.storage(i).load().snapshotMeta.index).toBe(10);
        expect(c.storage(i).load().entries).toHaveLength(2);
      }
      void leader;
    });
  });

  it('brings a peer that missed compacted entries up to date with InstallSnapshot, snapshot first', async () => {
    const c = simRaftCluster({ n: 3 });
    await c.run(async () => {
      const snapEvery = (
        peer: import('../src/index.js').RaftPeer,
        msg: import('../src/index.js').ApplyMsg,
      ) => {
        if (msg.kind === 'command' && msg.index % 5 === 0)
          peer.snapshot(msg.index, new Uint8Array([msg.index]));
      };
      for (let i = 0; i < 3; i++) c.restart(i, snapEvery);
      const leader = await c.waitLeader();
      const lagger = (leader + 1) % 3;
      c.partition([lagger], [leader, (leader + 2) % 3]);
      for (let k = 0; k < 12; k++) c.peers[leader]!.start(k);
      await c.sim.clock.sleep(300);
      c.heal();
      await c.sim.clock.sleep(1000);
      const msgs = c.applied[lagger]!;
      expect(msgs[0]).toMatchObject({ kind: 'snapshot', index: 10 });
      expect(msgs.slice(1).map((m) => m.index)).toEqual([11, 12]);
    });
  });

  it('stops sending, applying, persisting and answering after kill', async () => {
    const c = simRaftCluster({ n: 3 });
    await c.run(async () => {
      const leader = await c.waitLeader();
      const p = c.peers[leader]!;
      p.start('a');
      p.kill();
      const saved = (c.storage(leader) as MemoryPersister).raftStateSize();
      const rpcs = c.net.totalRpcCount();
      await c.sim.clock.sleep(1000);
      expect((c.storage(leader) as MemoryPersister).raftStateSize()).toBe(saved);
      expect(c.applied[leader]!).toHaveLength(0);
      expect(p.getState().isLeader).toBe(false);
      // the two others elect a leader among themselves: RPCs flow, but none from the killed peer
      expect(c.net.totalRpcCount()).toBeGreaterThan(rpcs);
      // start() after kill() answers "not leader" quietly, as the lab expects
      expect(p.start('b')).toMatchObject({ index: -1, isLeader: false });
      expect(() => p.snapshot(1, new Uint8Array())).toThrow(PeerKilledError);
    });
  });

  it('throws typed errors for misuse', async () => {
    const c = simRaftCluster({ n: 3 });
    await c.run(async () => {
      const leader = await c.waitLeader();
      const p = c.peers[leader]!;
      let caught: unknown;
      try {
        p.snapshot(5, new Uint8Array([1]));
      } catch (error) {
        caught = error;
      }
      expect(SnapshotIndexError.isInstance(caught)).toBe(true);
      expect(RaftkitError.isInstance(caught)).toBe(true);
      expect((caught as SnapshotIndexError).code).toBe('SNAPSHOT_INDEX');
      expect((caught as Error).message).toMatch(/delivered entries only up to index 0/);
      expect(() => p.readIndex()).toThrow(ReadIndexDisabledError);
      expect(() => p.snapshot(0, 'x' as unknown as Uint8Array)).toThrow(InvalidArgumentError);
    });
  });

  it('validates options', () => {
    const c = simRaftCluster({ n: 1 });
    const lost = { call: async () => ({ ok: false as const, reason: 'lost' as const }) };
    const base = {
      peers: [lost],
      me: 0,
      storage: c.storage(0) as MemoryPersister,
      apply() {},
      clock: c.sim.clock,
      rng: c.sim.rng,
    };
    expect(() => new RaftPeer({ ...base, peers: [] })).toThrow(/peers must be/);
    expect(() => new RaftPeer({ ...base, me: 3 })).toThrow(InvalidArgumentError);
    expect(
      () => new RaftPeer({ ...base, electionTimeoutMinMs: 50, heartbeatIntervalMs: 100 }),
    ).toThrow(/must exceed heartbeatIntervalMs/);
    expect(
      () => new RaftPeer({ ...base, electionTimeoutMinMs: 500, electionTimeoutMaxMs: 400 }),
    ).toThrow(/electionTimeoutMaxMs/);
    expect(() => new RaftPeer({ ...base, preVote: 'yes' as unknown as boolean })).toThrow(
      /preVote must be a boolean/,
    );
    expect(() => new RaftPeer({ ...base, maxInflightAppends: 0 })).toThrow(/maxInflightAppends/);
    const bad = (over: Record<string, unknown>, argument: string) => {
      let caught: unknown;
      try {
        new RaftPeer({ ...base, ...over } as never);
      } catch (error) {
        caught = error;
      }
      expect(InvalidArgumentError.isInstance(caught), argument).toBe(true);
      expect((caught as InvalidArgumentError).argument).toBe(argument);
    };
    bad({ storage: null }, 'storage');
    bad({ clock: undefined }, 'clock');
    bad({ rng: undefined }, 'rng');
    bad({ readIndexTimeoutMs: -1 }, 'readIndexTimeoutMs');
    bad({ readIndexTimeoutMs: Number.NaN }, 'readIndexTimeoutMs');
    bad({ peers: [lost, undefined, lost] }, 'peers');
    bad({ heartbeatIntervalMs: Number.POSITIVE_INFINITY }, 'heartbeatIntervalMs');
    bad({ staleAppendMs: -5 }, 'staleAppendMs');
    bad({ noopOnElection: 1 }, 'noopOnElection');
    bad({ electionTimeoutMs: 300 }, 'electionTimeoutMs'); // a typo is not silently ignored
    bad({ logger: {} }, 'logger');
    const p = new RaftPeer(base);
    expect(p.config).toMatchObject({
      heartbeatIntervalMs: 100,
      electionTimeoutMinMs: 300,
      staleAppendMs: 200,
    });
    p.kill();
  });

  it('a single-peer cluster commits on its own', async () => {
    const c = simRaftCluster({ n: 1 });
    await c.run(async () => {
      await c.waitLeader();
      expect(c.peers[0]!.start('solo').index).toBe(1);
      await c.sim.clock.sleep(10);
      expect(c.commands(0)).toEqual(['solo']);
    });
  });

  it('can deliver the persisted snapshot first on start', async () => {
    const c = simRaftCluster({ n: 1, raft: {} });
    await c.run(async () => {
      c.restart(0, (peer, msg) => {
        if (msg.kind === 'command' && msg.index === 2) peer.snapshot(2, new Uint8Array([7]));
      });
      await c.waitLeader();
      c.peers[0]!.start('a');
      c.peers[0]!.start('b');
      c.peers[0]!.start('c');
      await c.sim.clock.sleep(50);
      c.peers[0]!.kill();
      const { RaftPeer } = await import('../src/index.js');
      const got: unknown[] = [];
      const p = new RaftPeer({
        peers: [{ call: () => new Promise(() => {}) }],
        me: 0,
        storage: (c.storage(0) as MemoryPersister).copy(),
        clock: c.sim.clock,
        rng: c.sim.rng.fork('again'),
        deliverSnapshotOnStart: true,
        apply: (m) =>
          got.push(m.kind === 'snapshot' ? ['snap', m.index, [...m.snapshot]] : m.index),
      });
      await c.sim.clock.sleep(1000);
      // entry 3 is from an earlier term: it commits with the first entry of the new term (§5.4.2)
      expect(got).toEqual([['snap', 2, [7]]]);
      p.start('d');
      await c.sim.clock.sleep(10);
      p.kill();
      expect(got).toEqual([['snap', 2, [7]], 3, 4]);
    });
  });

  it('refuses and logs a request claiming to come from its own id', async () => {
    const records: { ev: string; fields?: Record<string, unknown> }[] = [];
    const c = simRaftCluster({
      n: 3,
      raft: { logger: { enabled: true, log: (_src, ev, fields) => records.push({ ev, fields }) } },
    });
    await c.run(async () => {
      const leader = await c.waitLeader();
      const p = c.peers[leader]!;
      const { term } = p.getState();
      const reply = await p.handlers.RequestVote({
        term: term + 5,
        candidateId: leader,
        lastLogIndex: 100,
        lastLogTerm: term + 5,
      });
      expect(reply).toEqual({ term, voteGranted: false });
      const ae = await p.handlers.AppendEntries({
        term: term + 1,
        leaderId: leader,
        prevLogIndex: 0,
        prevLogTerm: 0,
        entries: [],
        leaderCommit: 0,
        round: 0,
      });
      expect(ae).toMatchObject({ term, success: false });
      expect(p.getState()).toEqual({ term, isLeader: true });
      expect(records.filter((r) => r.ev === 'reject-sender')).toHaveLength(2);
      expect(
        records.some((r) => r.ev === 'error' && /same `me`/.test(String(r.fields?.message))),
      ).toBe(true);
    });
  });

  it('reports role, leader and term changes to subscribers, after they are persisted', async () => {
    const seen: string[] = [];
    const c = simRaftCluster({ n: 3, seed: 4 });
    const unsubscribe = c.all().map((i) =>
      c.peer(i).subscribe(({ previous, current }) => {
        const s = c.storage(i).load().hardState;
        expect(s.term).toBe(current.term); // the new term is durable before anyone hears of it
        seen.push(`${i}:${previous.role}->${current.role}@${current.term}/${current.leader}`);
      }),
    );
    await c.run(async () => {
      const leader = await c.waitLeader();
      await c.sleep(100);
      const term = c.peer(leader).getState().term;
      expect(seen).toContain(`${leader}:candidate->leader@${term}/${leader}`);
      for (const i of c.all().filter((j) => j !== leader))
        expect(seen.some((l) => l.startsWith(`${i}:`) && l.endsWith(`@${term}/${leader}`))).toBe(
          true,
        );
      for (const u of unsubscribe) u();
      const count = seen.length;
      c.disconnect(leader);
      await c.waitLeader(c.all().filter((j) => j !== leader));
      expect(seen).toHaveLength(count);
    });
  });

  it('noopOnElection: each new leader appends an empty entry, applied as a noop (off by default)', async () => {
    for (const noopOnElection of [false, true]) {
      const c = simRaftCluster({ n: 3, seed: 2, raft: { noopOnElection } });
      const result = await c.run(async () => {
        const first = await c.waitLeader();
        // An entry that reaches everyone but whose commit nobody hears of.
        c.peer(first).start('x');
        await c.waitUntil(
          () => c.all().every((i) => c.peer(i).status().lastIndex >= (noopOnElection ? 2 : 1)),
          1000,
          'x replicated',
        );
        c.disconnect(first);
        const second = await c.waitLeader(c.all().filter((i) => i !== first));
        await c.sleep(1000);
        return {
          applied: c.applied[second]!.map((m) => m.kind),
          commit: c.peer(second).status().commitIndex,
        };
      });
      if (noopOnElection) {
        expect(result.applied).toEqual(['noop', 'command', 'noop']);
      } else {
        expect(result.applied).toEqual(['command']);
      }
    }
  });
});
