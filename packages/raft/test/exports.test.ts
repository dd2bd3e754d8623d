import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

describe('@raftkit/raft public surface', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "PeerKilledError",
        "Progress",
        "RaftCore",
        "RaftLog",
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
});
