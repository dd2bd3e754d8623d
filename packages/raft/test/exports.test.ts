import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import * as testing from '../src/testing/index.js';

describe('@raftkit/raft public surface', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "PeerKilledError",
        "RaftCore",
        "RaftPeer",
        "ReadIndexDisabledError",
        "SnapshotIndexError",
        "committedIndex",
        "createRaftPeer",
        "defaultRaftConfig",
        "hasQuorum",
        "majority",
        "raftService",
        "registerRaft",
        "validateConfig",
        "voteResult",
      ]
    `);
  });

  it('RaftCore exposes a façade, never its mutable protocol state', () => {
    const names = Object.getOwnPropertyNames(api.RaftCore.prototype).sort();
    expect(names).toMatchInlineSnapshot(`
      [
        "advance",
        "broadcast",
        "broadcastDue",
        "campaign",
        "cancelRead",
        "constructor",
        "hasReady",
        "id",
        "isLeader",
        "nextDeadline",
        "propose",
        "readIndex",
        "ready",
        "snapshot",
        "status",
        "step",
        "termAt",
        "tick",
        "transferLeadership",
        "wantsBroadcast",
      ]
    `);
  });

  it('./testing exports exactly these names', () => {
    expect(Object.keys(testing).sort()).toMatchInlineSnapshot(`
      [
        "SimRaftCluster",
        "SimWiring",
        "memoryStorage",
        "simRaftCluster",
      ]
    `);
  });
});
