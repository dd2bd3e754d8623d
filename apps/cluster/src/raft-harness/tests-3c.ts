import { checkOneLeader, nCommitted, one, wait } from './checks.js';
import { raftTest } from './define.js';
import { RAFT_ELECTION_TIMEOUT, type RaftHarness } from './harness.js';

/** Part 3C: persistence (test_test.go). */
export const tests3C = [
  raftTest('Persist13C', 'basic persistence', { servers: 3 }, async (h) => {
    const servers = h.n;
    await one(h, 11, servers, true);
    // crash and re-start all
    for (let i = 0; i < servers; i++) h.start1(i);
    for (let i = 0; i < servers; i++) {
      h.disconnect(i);
      h.connect(i);
    }
    await one(h, 12, servers, true);
    const leader1 = await checkOneLeader(h);
    h.disconnect(leader1);
    h.start1(leader1);
    h.connect(leader1);
    await one(h, 13, servers, true);
    const leader2 = await checkOneLeader(h);
    h.disconnect(leader2);
    await one(h, 14, servers - 1, true);
    h.start1(leader2);
    h.connect(leader2);
    await wait(h, 4, servers, -1); // wait for leader2 to join before killing i3
    const i3 = ((await checkOneLeader(h)) + 1) % servers;
    h.disconnect(i3);
    await one(h, 15, servers - 1, true);
    h.start1(i3);
    h.connect(i3);
    await one(h, 16, servers, true);
  }),

  raftTest('Persist23C', 'more persistence', { servers: 5 }, async (h) => {
    const servers = h.n;
    let index = 1;
    for (let iters = 0; iters < 5; iters++) {
      await one(h, 10 + index, servers, true);
      index++;
      const leader1 = await checkOneLeader(h);
      h.disconnect((leader1 + 1) % servers);
      h.disconnect((leader1 + 2) % servers);
      await one(h, 10 + index, servers - 2, true);
      index++;
      h.disconnect((leader1 + 0) % servers);
      h.disconnect((leader1 + 3) % servers);
      h.disconnect((leader1 + 4) % servers);
      h.start1((leader1 + 1) % servers);
      h.start1((leader1 + 2) % servers);
      h.connect((leader1 + 1) % servers);
      h.connect((leader1 + 2) % servers);
      await h.sleep(RAFT_ELECTION_TIMEOUT);
      h.start1((leader1 + 3) % servers);
      h.connect((leader1 + 3) % servers);
      await one(h, 10 + index, servers - 2, true);
      index++;
      h.connect((leader1 + 4) % servers);
      h.connect((leader1 + 0) % servers);
    }
    await one(h, 1000, servers, true);
  }),

  raftTest(
    'Persist33C',
    'partitioned leader and one follower crash, leader restarts',
    { servers: 3 },
    async (h) => {
      const servers = h.n;
      await one(h, 101, 3, true);
      const leader = await checkOneLeader(h);
      h.disconnect((leader + 2) % servers);
      await one(h, 102, 2, true);
      h.crash1((leader + 0) % servers);
      h.crash1((leader + 1) % servers);
      h.connect((leader + 2) % servers);
      h.start1((leader + 0) % servers);
      h.connect((leader + 0) % servers);
      await one(h, 103, 2, true);
      h.start1((leader + 1) % servers);
      h.connect((leader + 1) % servers);
      await one(h, 104, servers, true);
    },
  ),

  raftTest('Figure83C', 'Figure 8', { servers: 5 }, async (h) => {
    // Test the scenarios described in Figure 8 of the extended Raft paper. Each
    // iteration asks a leader, if there is one, to insert a command in the Raft
    // log. If there is a leader, that leader will fail quickly with a high
    // probability (perhaps without committing the command), or crash after a
    // while with low probability (most likely committing the command).
    const servers = h.n;
    await one(h, h.randInt(), 1, true);
    let nup = servers;
    for (let iters = 0; iters < 1000; iters++) {
      let leader = -1;
      for (let i = 0; i < servers; i++) {
        const rf = h.rafts[i];
        if (rf?.start(h.randInt()).isLeader) leader = i;
      }
      await figure8Sleep(h);
      if (leader !== -1) {
        h.crash1(leader);
        nup -= 1;
      }
      if (nup < 3) {
        const s = h.rng.int(0, servers - 1);
        if (h.rafts[s] == null) {
          h.start1(s);
          h.connect(s);
          nup += 1;
        }
      }
    }
    for (let i = 0; i < servers; i++) {
      if (h.rafts[i] == null) {
        h.start1(i);
        h.connect(i);
      }
    }
    await one(h, h.randInt(), servers, true);
  }),

  raftTest(
    'UnreliableAgree3C',
    'unreliable agreement',
    { servers: 5, unreliable: true },
    async (h) => {
      const servers = h.n;
      const background: Promise<number>[] = [];
      for (let iters = 1; iters < 50; iters++) {
        for (let j = 0; j < 4; j++) {
          const p = one(h, 100 * iters + j, 1, true);
          p.catch(() => {});
          background.push(p);
        }
        await one(h, iters, 1, true);
      }
      h.setUnreliable(false);
      await Promise.all(background);
      await one(h, 100, servers, true);
    },
  ),

  raftTest(
    'Figure8Unreliable3C',
    'Figure 8 (unreliable)',
    { servers: 5, unreliable: true },
    async (h) => {
      const servers = h.n;
      await one(h, h.rng.int(0, 9999), 1, true);
      let nup = servers;
      for (let iters = 0; iters < 1000; iters++) {
        if (iters === 200) h.setLongReordering(true);
        let leader = -1;
        for (let i = 0; i < servers; i++) {
          const ok = h.rafts[i]!.start(h.rng.int(0, 9999)).isLeader;
          if (ok && h.connected[i]) leader = i;
        }
        await figure8Sleep(h);
        if (leader !== -1 && h.rng.int(0, 999) < RAFT_ELECTION_TIMEOUT / 2) {
          h.disconnect(leader);
          nup -= 1;
        }
        if (nup < 3) {
          const s = h.rng.int(0, servers - 1);
          if (!h.connected[s]) {
            h.connect(s);
            nup += 1;
          }
        }
      }
      for (let i = 0; i < servers; i++) if (!h.connected[i]) h.connect(i);
      await one(h, h.rng.int(0, 9999), servers, true);
    },
  ),

  raftTest('ReliableChurn3C', 'churn', { servers: 5 }, (h) => internalChurn(h, false)),
  raftTest('UnreliableChurn3C', 'unreliable churn', { servers: 5, unreliable: true }, (h) =>
    internalChurn(h, true),
  ),
];

/** With probability 10% a long sleep (≤ half an election timeout), else ≤ 12 ms. */
async function figure8Sleep(h: RaftHarness): Promise<void> {
  if (h.rng.int(0, 999) < 100) await h.sleep(h.rng.int(0, RAFT_ELECTION_TIMEOUT / 2 - 1));
  else await h.sleep(h.rng.int(0, 12));
}

async function internalChurn(h: RaftHarness, unreliable: boolean): Promise<void> {
  const servers = h.n;
  let stop = false;
  const client = async (me: number): Promise<number[]> => {
    const values: number[] = [];
    while (!stop) {
      const x = h.randInt();
      let index = -1;
      let ok = false;
      for (let i = 0; i < servers; i++) {
        const rf = h.rafts[i];
        if (rf != null) {
          const r = rf.start(x);
          if (r.isLeader) {
            ok = true;
            index = r.index;
          }
        }
      }
      if (ok) {
        // maybe leader will commit our value, maybe not. but don't wait forever.
        for (const to of [10, 20, 50, 100, 200]) {
          const { count, cmd } = nCommitted(h, index);
          if (count > 0) {
            if (typeof cmd !== 'number') h.fatal('wrong command type');
            if (cmd === x) values.push(x);
            break;
          }
          await h.sleep(to);
        }
      } else {
        await h.sleep(79 + me * 17);
      }
    }
    return values;
  };
  const ncli = 3;
  const clients: Promise<number[]>[] = [];
  for (let i = 0; i < ncli; i++) {
    const p = client(i);
    p.catch(() => {});
    clients.push(p);
  }
  for (let iters = 0; iters < 20; iters++) {
    if (h.rng.int(0, 999) < 200) h.disconnect(h.rng.int(0, servers - 1));
    if (h.rng.int(0, 999) < 500) {
      const i = h.rng.int(0, servers - 1);
      if (h.rafts[i] == null) h.start1(i);
      h.connect(i);
    }
    if (h.rng.int(0, 999) < 200) {
      const i = h.rng.int(0, servers - 1);
      if (h.rafts[i] != null) h.crash1(i);
    }
    // Make crash/restart infrequent enough that the peers can often keep up,
    // but not so infrequent that everything has settled down from one change
    // to the next.
    await h.sleep((RAFT_ELECTION_TIMEOUT * 7) / 10);
  }
  await h.sleep(RAFT_ELECTION_TIMEOUT);
  h.setUnreliable(false);
  for (let i = 0; i < servers; i++) {
    if (h.rafts[i] == null) h.start1(i);
    h.connect(i);
  }
  stop = true;
  const values: number[] = [];
  for (const c of clients) {
    const vv = await c;
    if (vv === undefined) h.fatal('client failed');
    values.push(...vv);
  }
  await h.sleep(RAFT_ELECTION_TIMEOUT);
  const lastIndex = await one(h, h.randInt(), servers, true);
  const really = new Set<number>();
  for (let index = 1; index <= lastIndex; index++) {
    const v = await wait(h, index, servers, -1);
    if (typeof v !== 'number') h.fatal('not an int');
    really.add(v);
  }
  for (const v1 of values) if (!really.has(v1)) h.fatal("didn't find a value");
  void unreliable;
}
