import { checkNoLeader, checkOneLeader, checkTerms } from './checks.js';
import { raftTest } from './define.js';
import { RAFT_ELECTION_TIMEOUT } from './harness.js';

/** Part 3A: leader election (test_test.go). */
export const tests3A = [
  raftTest('InitialElection3A', 'initial election', { servers: 3 }, async (h) => {
    await checkOneLeader(h);
    // sleep a bit to avoid racing with followers learning of the election, then check all peers agree on the term.
    await h.sleep(50);
    const term1 = checkTerms(h);
    if (term1 < 1) h.fatal(`term is ${term1}, but should be at least 1`);
    // does the leader+term stay the same if there is no network failure?
    await h.sleep(2 * RAFT_ELECTION_TIMEOUT);
    const term2 = checkTerms(h);
    if (term1 !== term2)
      h.sim.trace('tester', 'warning', {
        message: 'term changed even though there were no failures',
      });
    // there should still be a leader.
    await checkOneLeader(h);
  }),

  raftTest('ReElection3A', 'election after network failure', { servers: 3 }, async (h) => {
    const servers = h.n;
    const leader1 = await checkOneLeader(h);
    // if the leader disconnects, a new one should be elected.
    h.disconnect(leader1);
    await checkOneLeader(h);
    // if the old leader rejoins, that shouldn't disturb the new leader.
    h.connect(leader1);
    const leader2 = await checkOneLeader(h);
    // if there's no quorum, no new leader should be elected.
    h.disconnect(leader2);
    h.disconnect((leader2 + 1) % servers);
    await h.sleep(2 * RAFT_ELECTION_TIMEOUT);
    // check that the one connected server does not think it is the leader.
    checkNoLeader(h);
    // if a quorum arises, it should elect a leader.
    h.connect((leader2 + 1) % servers);
    await checkOneLeader(h);
    // re-join of last node shouldn't prevent leader from existing.
    h.connect(leader2);
    await checkOneLeader(h);
  }),

  raftTest('ManyElections3A', 'multiple elections', { servers: 7 }, async (h) => {
    const servers = h.n;
    await checkOneLeader(h);
    const iters = 10;
    for (let ii = 1; ii < iters; ii++) {
      // disconnect three nodes
      const i1 = h.rng.int(0, servers - 1);
      const i2 = h.rng.int(0, servers - 1);
      const i3 = h.rng.int(0, servers - 1);
      h.disconnect(i1);
      h.disconnect(i2);
      h.disconnect(i3);
      // either the current leader should still be alive, or the remaining four should elect a new one.
      await checkOneLeader(h);
      h.connect(i1);
      h.connect(i2);
      h.connect(i3);
    }
    await checkOneLeader(h);
  }),
];
