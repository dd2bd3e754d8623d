import { checkOneLeader, one } from './checks.js';
import { raftTest } from './define.js';
import { MAX_LOG_SIZE, type RaftHarness, SNAPSHOT_INTERVAL } from './harness.js';

/** snapcommon(disconnect, reliable, crash): 30 iterations on 3 peers in snapshot mode. */
async function snapcommon(h: RaftHarness, disconnect: boolean, crash: boolean): Promise<void> {
  const iters = 30;
  const servers = h.n;
  await one(h, h.randInt(), servers, true);
  let leader1 = await checkOneLeader(h);
  for (let i = 0; i < iters; i++) {
    let victim = (leader1 + 1) % servers;
    let sender = leader1;
    if (i % 3 === 1) {
      sender = (leader1 + 1) % servers;
      victim = leader1;
    }
    if (disconnect) {
      h.disconnect(victim);
      await one(h, h.randInt(), servers - 1, true);
    }
    if (crash) {
      h.crash1(victim);
      await one(h, h.randInt(), servers - 1, true);
    }
    // perhaps send enough to get a snapshot
    const nn = SNAPSHOT_INTERVAL / 2 + h.rng.int(0, SNAPSHOT_INTERVAL - 1);
    for (let k = 0; k < nn; k++) h.rafts[sender]!.start(h.randInt());
    // let applier threads catch up with the Start()'s
    if (!disconnect && !crash) {
      // make sure all followers have caught up, so that an InstallSnapshot RPC isn't required for TestSnapshotBasic3D().
      await one(h, h.randInt(), servers, true);
    } else {
      await one(h, h.randInt(), servers - 1, true);
    }
    const size = h.logSize();
    if (size >= MAX_LOG_SIZE) h.fatal(`Log size too large: ${size} bytes (limit ${MAX_LOG_SIZE})`);
    if (disconnect) {
      // reconnect a follower, who maybe behind and needs to receive a snapshot to catch up.
      h.connect(victim);
      await one(h, h.randInt(), servers, true);
      leader1 = await checkOneLeader(h);
    }
    if (crash) {
      h.start1(victim);
      h.connect(victim);
      await one(h, h.randInt(), servers, true);
      leader1 = await checkOneLeader(h);
    }
  }
}

async function crashAndReviveAll(h: RaftHarness): Promise<void> {
  for (let i = 0; i < h.n; i++) h.crash1(i);
  for (let i = 0; i < h.n; i++) {
    h.start1(i);
    h.connect(i);
  }
}

/** Part 3D: log compaction (test_test.go), all in snapshot mode. */
export const tests3D = [
  raftTest('SnapshotBasic3D', 'snapshots basic', { servers: 3, snapshot: true }, (h) =>
    snapcommon(h, false, false),
  ),
  raftTest(
    'SnapshotInstall3D',
    'install snapshots (disconnect)',
    { servers: 3, snapshot: true },
    (h) => snapcommon(h, true, false),
  ),
  raftTest(
    'SnapshotInstallUnreliable3D',
    'install snapshots (disconnect+unreliable)',
    { servers: 3, snapshot: true, unreliable: true },
    (h) => snapcommon(h, true, false),
  ),
  raftTest(
    'SnapshotInstallCrash3D',
    'install snapshots (crash)',
    { servers: 3, snapshot: true },
    (h) => snapcommon(h, false, true),
  ),
  raftTest(
    'SnapshotInstallUnCrash3D',
    'install snapshots (unreliable+crash)',
    { servers: 3, snapshot: true, unreliable: true },
    (h) => snapcommon(h, false, true),
  ),

  raftTest(
    'SnapshotAllCrash3D',
    'crash and restart all servers',
    { servers: 3, snapshot: true },
    async (h) => {
      const servers = h.n;
      const iters = 5;
      await one(h, h.randInt(), servers, true);
      for (let i = 0; i < iters; i++) {
        // perhaps enough to get a snapshot
        const nn = SNAPSHOT_INTERVAL / 2 + h.rng.int(0, SNAPSHOT_INTERVAL - 1);
        for (let k = 0; k < nn; k++) await one(h, h.randInt(), servers, true);
        const index1 = await one(h, h.randInt(), servers, true);
        await crashAndReviveAll(h);
        const index2 = await one(h, h.randInt(), servers, true);
        if (index2 < index1 + 1) h.fatal(`index decreased from ${index1} to ${index2}`);
      }
    },
  ),

  raftTest(
    'SnapshotInit3D',
    'snapshot initialization after crash',
    { servers: 3, snapshot: true },
    async (h) => {
      const servers = h.n;
      await one(h, h.randInt(), servers, true);
      // enough ops to make a snapshot
      const nn = SNAPSHOT_INTERVAL + 1;
      for (let i = 0; i < nn; i++) await one(h, h.randInt(), servers, true);
      await crashAndReviveAll(h);
      // a single op, to get something to be written back to persistent storage.
      await one(h, h.randInt(), servers, true);
      await crashAndReviveAll(h);
      // do another op to trigger potential bug
      await one(h, h.randInt(), servers, true);
    },
  ),
];
