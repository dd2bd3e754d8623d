import { checkOneLeader, nCommitted, one, wait } from './checks.js';
import { raftTest } from './define.js';
import { RAFT_ELECTION_TIMEOUT } from './harness.js';

/** Part 3B: log replication (test_test.go). */
export const tests3B = [
  raftTest('BasicAgree3B', 'basic agreement', { servers: 3 }, async (h) => {
    const iters = 3;
    for (let index = 1; index < iters + 1; index++) {
      if (nCommitted(h, index).count > 0) h.fatal('some have committed before Start()');
      const xindex = await one(h, index * 100, h.n, false);
      if (xindex !== index) h.fatal(`got index ${xindex} but expected ${index}`);
    }
  }),

  raftTest('RPCBytes3B', 'RPC byte count', { servers: 3 }, async (h) => {
    await one(h, 99, h.n, false);
    const bytes0 = h.bytesTotal();
    const iters = 10;
    let sent = 0;
    for (let index = 2; index < iters + 2; index++) {
      const cmd = h.randString(5000);
      const xindex = await one(h, cmd, h.n, false);
      if (xindex !== index) h.fatal(`got index ${xindex} but expected ${index}`);
      sent += cmd.length;
    }
    const got = h.bytesTotal() - bytes0;
    const expected = h.n * sent;
    if (got > expected + 50_000) h.fatal(`too many RPC bytes; got ${got}, expected ${expected}`);
  }),

  raftTest(
    'FollowerFailure3B',
    'test progressive failure of followers',
    { servers: 3 },
    async (h) => {
      const servers = h.n;
      await one(h, 101, servers, false);
      // disconnect one follower from the network.
      const leader1 = await checkOneLeader(h);
      h.disconnect((leader1 + 1) % servers);
      // the leader and remaining follower should be able to agree despite the disconnected follower.
      await one(h, 102, servers - 1, false);
      await h.sleep(RAFT_ELECTION_TIMEOUT);
      await one(h, 103, servers - 1, false);
      // disconnect the remaining follower
      const leader2 = await checkOneLeader(h);
      h.disconnect((leader2 + 1) % servers);
      h.disconnect((leader2 + 2) % servers);
      // submit a command.
      const { index, isLeader } = h.rafts[leader2]!.start(104);
      if (!isLeader) h.fatal('leader rejected Start()');
      if (index !== 4) h.fatal(`expected index 4, got ${index}`);
      await h.sleep(2 * RAFT_ELECTION_TIMEOUT);
      // check that command 104 did not commit.
      const n = nCommitted(h, index).count;
      if (n > 0) h.fatal(`${n} committed but no majority`);
    },
  ),

  raftTest('LeaderFailure3B', 'test failure of leaders', { servers: 3 }, async (h) => {
    const servers = h.n;
    await one(h, 101, servers, false);
    // disconnect the first leader.
    const leader1 = await checkOneLeader(h);
    h.disconnect(leader1);
    // the remaining followers should elect a new leader.
    await one(h, 102, servers - 1, false);
    await h.sleep(RAFT_ELECTION_TIMEOUT);
    await one(h, 103, servers - 1, false);
    // disconnect the new leader.
    const leader2 = await checkOneLeader(h);
    h.disconnect(leader2);
    // submit a command to each server.
    for (let i = 0; i < servers; i++) h.rafts[i]!.start(104);
    await h.sleep(2 * RAFT_ELECTION_TIMEOUT);
    // check that command 104 did not commit.
    const n = nCommitted(h, 4).count;
    if (n > 0) h.fatal(`${n} committed but no majority`);
  }),

  raftTest('FailAgree3B', 'agreement after follower reconnects', { servers: 3 }, async (h) => {
    const servers = h.n;
    await one(h, 101, servers, false);
    // disconnect one follower from the network.
    const leader = await checkOneLeader(h);
    h.disconnect((leader + 1) % servers);
    // the leader and remaining follower should be able to agree despite the disconnected follower.
    await one(h, 102, servers - 1, false);
    await one(h, 103, servers - 1, false);
    await h.sleep(RAFT_ELECTION_TIMEOUT);
    await one(h, 104, servers - 1, false);
    await one(h, 105, servers - 1, false);
    // re-connect
    h.connect((leader + 1) % servers);
    // the full set of servers should preserve previous agreements, and be able to agree on new commands.
    await one(h, 106, servers, true);
    await h.sleep(RAFT_ELECTION_TIMEOUT);
    await one(h, 107, servers, true);
  }),

  raftTest(
    'FailNoAgree3B',
    'no agreement if too many followers disconnect',
    { servers: 5 },
    async (h) => {
      const servers = h.n;
      await one(h, 10, servers, false);
      // 3 of 5 followers disconnect
      const leader = await checkOneLeader(h);
      h.disconnect((leader + 1) % servers);
      h.disconnect((leader + 2) % servers);
      h.disconnect((leader + 3) % servers);
      const { index, isLeader } = h.rafts[leader]!.start(20);
      if (!isLeader) h.fatal('leader rejected Start()');
      if (index !== 2) h.fatal(`expected index 2, got ${index}`);
      await h.sleep(2 * RAFT_ELECTION_TIMEOUT);
      const n = nCommitted(h, index).count;
      if (n > 0) h.fatal(`${n} committed but no majority`);
      // repair
      h.connect((leader + 1) % servers);
      h.connect((leader + 2) % servers);
      h.connect((leader + 3) % servers);
      // the disconnected majority may have chosen a leader from among their own ranks, forgetting index 2.
      const leader2 = await checkOneLeader(h);
      const r2 = h.rafts[leader2]!.start(30);
      if (!r2.isLeader) h.fatal('leader2 rejected Start()');
      if (r2.index < 2 || r2.index > 3) h.fatal(`unexpected index ${r2.index}`);
      await one(h, 1000, servers, true);
    },
  ),

  raftTest('ConcurrentStarts3B', 'concurrent Start()s', { servers: 3 }, async (h) => {
    const servers = h.n;
    let success = false;
    loop: for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0) await h.sleep(3000); // give solution some time to settle
      const leader = await checkOneLeader(h);
      const first = h.rafts[leader]!.start(1);
      if (!first.isLeader) continue; // leader moved on really quickly
      const term = first.term;
      const iters = 5;
      const is: number[] = [];
      // The lab starts these from 5 goroutines at once: here, each from its own event within
      // the next millisecond, so the starts interleave with RPC handlers and with each other.
      await Promise.all(
        Array.from(
          { length: iters },
          (_, ii) =>
            new Promise<void>((resolve) => {
              h.sim.clock.setTimer(h.rng.float(), () => {
                const r = h.rafts[leader]?.start(100 + ii);
                if (r !== undefined && r.term === term && r.isLeader) is.push(r.index);
                resolve();
              });
            }),
        ),
      );
      for (let j = 0; j < servers; j++) {
        if (h.rafts[j]!.getState().term !== term) continue loop; // term changed -- can't expect low RPC counts
      }
      const cmds: number[] = [];
      for (const index of is) {
        const cmd = await wait(h, index, servers, term);
        if (typeof cmd !== 'number') h.fatal(`value ${String(cmd)} is not an int`);
        if (cmd === -1) continue loop; // peers have moved on to later terms
        cmds.push(cmd as number);
      }
      for (let ii = 0; ii < iters; ii++) {
        const x = 100 + ii;
        if (!cmds.includes(x)) h.fatal(`cmd ${x} missing in ${cmds.join(',')}`);
      }
      success = true;
      break;
    }
    if (!success) h.fatal('term changed too often');
  }),

  raftTest('Rejoin3B', 'rejoin of partitioned leader', { servers: 3 }, async (h) => {
    const servers = h.n;
    await one(h, 101, servers, true);
    // leader network failure
    const leader1 = await checkOneLeader(h);
    h.disconnect(leader1);
    // make old leader try to agree on some entries
    h.rafts[leader1]!.start(102);
    h.rafts[leader1]!.start(103);
    h.rafts[leader1]!.start(104);
    // new leader commits, also for index=2
    await one(h, 103, 2, true);
    // new leader network failure
    const leader2 = await checkOneLeader(h);
    h.disconnect(leader2);
    // old leader connected again
    h.connect(leader1);
    await one(h, 104, 2, true);
    // all together now
    h.connect(leader2);
    await one(h, 105, servers, true);
  }),

  raftTest(
    'Backup3B',
    'leader backs up quickly over incorrect follower logs',
    { servers: 5 },
    async (h) => {
      const servers = h.n;
      await one(h, h.randInt(), servers, true);
      // put leader and one follower in a partition
      const leader1 = await checkOneLeader(h);
      h.disconnect((leader1 + 2) % servers);
      h.disconnect((leader1 + 3) % servers);
      h.disconnect((leader1 + 4) % servers);
      // submit lots of commands that won't commit
      for (let i = 0; i < 50; i++) h.rafts[leader1]!.start(h.randInt());
      await h.sleep(RAFT_ELECTION_TIMEOUT / 2);
      h.disconnect((leader1 + 0) % servers);
      h.disconnect((leader1 + 1) % servers);
      // allow other partition to recover
      h.connect((leader1 + 2) % servers);
      h.connect((leader1 + 3) % servers);
      h.connect((leader1 + 4) % servers);
      // lots of successful commands to new group.
      for (let i = 0; i < 50; i++) await one(h, h.randInt(), 3, true);
      // now another partitioned leader and one follower
      const leader2 = await checkOneLeader(h);
      let other = (leader1 + 2) % servers;
      if (leader2 === other) other = (leader2 + 1) % servers;
      h.disconnect(other);
      // lots more commands that won't commit
      for (let i = 0; i < 50; i++) h.rafts[leader2]!.start(h.randInt());
      await h.sleep(RAFT_ELECTION_TIMEOUT / 2);
      // bring original leader back to life,
      for (let i = 0; i < servers; i++) h.disconnect(i);
      h.connect((leader1 + 0) % servers);
      h.connect((leader1 + 1) % servers);
      h.connect(other);
      // lots of successful commands to new group.
      for (let i = 0; i < 50; i++) await one(h, h.randInt(), 3, true);
      // now everyone
      for (let i = 0; i < servers; i++) h.connect(i);
      await one(h, h.randInt(), servers, true);
    },
  ),

  raftTest('Count3B', "RPC counts aren't too high", { servers: 3 }, async (h) => {
    const servers = h.n;
    const rpcs = () => {
      let n = 0;
      for (let j = 0; j < servers; j++) n += h.rpcCount(j);
      return n;
    };
    let leader = await checkOneLeader(h);
    let total1 = rpcs();
    if (total1 > 30 || total1 < 1)
      h.fatal(`too many or few RPCs (${total1}) to elect initial leader`);
    let total2 = 0;
    let success = false;
    loop: for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0) await h.sleep(3000); // give solution some time to settle
      leader = await checkOneLeader(h);
      total1 = rpcs();
      const iters = 10;
      const first = h.rafts[leader]!.start(1);
      if (!first.isLeader) continue; // leader moved on really quickly
      const { index: starti, term } = first;
      const cmds: number[] = [];
      for (let i = 1; i < iters + 2; i++) {
        const x = h.rng.int(0, 2 ** 31 - 1);
        cmds.push(x);
        const r = h.rafts[leader]!.start(x);
        if (r.term !== term) continue loop; // Term changed while starting
        if (!r.isLeader) continue loop; // No longer the leader, so term has changed
        if (starti + i !== r.index) h.fatal('Start() failed');
      }
      for (let i = 1; i < iters + 1; i++) {
        const cmd = await wait(h, starti + i, servers, term);
        if (cmd !== cmds[i - 1]) {
          if (cmd === -1) continue loop; // term changed -- try again
          h.fatal(
            `wrong value ${String(cmd)} committed for index ${starti + i}; expected ${cmds.join(',')}`,
          );
        }
      }
      let failed = false;
      total2 = 0;
      for (let j = 0; j < servers; j++) {
        if (h.rafts[j]!.getState().term !== term) failed = true; // term changed -- can't expect low RPC counts
        total2 += h.rpcCount(j);
      }
      if (failed) continue;
      if (total2 - total1 > (iters + 1 + 3) * 3)
        h.fatal(`too many RPCs (${total2 - total1}) for ${iters} entries`);
      success = true;
      break;
    }
    if (!success) h.fatal('term changed too often');
    await h.sleep(RAFT_ELECTION_TIMEOUT);
    const total3 = rpcs();
    if (total3 - total2 > 3 * 20)
      h.fatal(`too many RPCs (${total3 - total2}) for 1 second of idleness`);
  }),
];
