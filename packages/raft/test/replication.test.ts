import { createSeededRng } from '@raftkit/labrpc';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config.js';
import { nextAfterRejection } from '../src/core/append-reply.js';
import { handleAppendEntries } from '../src/core/receive-append.js';
import { CoreState } from '../src/core/state.js';
import type { AppendEntriesArgs, AppendEntriesReply } from '../src/types.js';

/** A follower core with the given log terms (entries 1..n). */
function follower(terms: number[], term = 9, snapshot = { index: 0, term: 0 }) {
  return new CoreState({
    id: 1,
    peers: 3,
    config: validateConfig(),
    rng: createSeededRng(1),
    now: 0,
    state: {
      hardState: { term, votedFor: -1 },
      snapshotMeta: snapshot,
      snapshot: new Uint8Array(),
      entries: terms.map((t, i) => ({ term: t, command: i })),
    },
  });
}

function ae(
  prevLogIndex: number,
  prevLogTerm: number,
  entryTerms: number[],
  leaderCommit = 0,
  term = 9,
): AppendEntriesArgs {
  return {
    term,
    leaderId: 0,
    prevLogIndex,
    prevLogTerm,
    entries: entryTerms.map((t) => ({ term: t, command: `n${t}` })),
    leaderCommit,
    round: 0,
  };
}

function handle(core: CoreState, args: AppendEntriesArgs): AppendEntriesReply {
  return handleAppendEntries(core, args);
}

describe('AppendEntries receiver (Figure 2 + fast backup hints)', () => {
  it.each([
    // [follower log terms, prevIndex, prevTerm, want {success, conflictIndex, conflictTerm}]
    [[1, 1, 1], 5, 2, { success: false, conflictIndex: 4, conflictTerm: -1 }], // too short
    [[1, 4, 4, 4], 4, 5, { success: false, conflictIndex: 2, conflictTerm: 4 }], // term run of 4 starts at 2
    [[1, 1, 1], 3, 1, { success: true }],
    [[], 0, 0, { success: true }],
  ] as const)('log %j, prev (%i, %i) → %j', (terms, prevIndex, prevTerm, want) => {
    const core = follower([...terms]);
    expect(handle(core, ae(prevIndex, prevTerm, []))).toMatchObject(want);
  });

  it('rejects a stale term without changing anything', () => {
    const core = follower([1], 5);
    const r = handle(core, ae(1, 1, [2], 0, 4));
    expect(r).toMatchObject({ term: 5, success: false });
    expect(core.log.lastIndex()).toBe(1);
  });

  it('truncates a conflicting suffix and persists only the change', () => {
    const core = follower([1, 2, 2, 2]);
    const r = handle(core, ae(1, 1, [3, 3]));
    expect(r).toMatchObject({ success: true, matchIndex: 3 });
    expect([1, 2, 3].map((i) => core.log.term(i))).toEqual([1, 3, 3]);
    expect(core.persistQueue.take()).toEqual([
      {
        truncateFrom: 2,
        append: {
          firstIndex: 2,
          entries: [
            { term: 3, command: 'n3' },
            { term: 3, command: 'n3' },
          ],
        },
      },
    ]);
  });

  it('ignores entries it already has (a reordered, older AppendEntries does not truncate)', () => {
    const core = follower([1, 1, 1, 1]);
    handle(core, ae(0, 0, [1, 1]));
    expect(core.log.lastIndex()).toBe(4);
    expect(core.persistQueue.take()).toEqual([]);
  });

  it('commits up to min(leaderCommit, last new entry)', () => {
    const core = follower([1, 1, 1, 1]);
    handle(core, ae(1, 1, [], 4));
    expect(core.commitIndex).toBe(1);
    handle(core, ae(3, 1, [], 4));
    expect(core.commitIndex).toBe(3);
    expect(core.takeApply().map((m) => m.index)).toEqual([1, 2, 3]);
  });

  it('treats entries inside its snapshot as matching', () => {
    const core = follower([3, 3], 9, { index: 10, term: 2 });
    const r = handle(core, ae(5, 1, [1, 1, 2, 2, 2, 3, 3, 4]));
    expect(r).toMatchObject({ success: true, matchIndex: 13 });
    expect(core.log.lastIndex()).toBe(13);
    expect(core.log.term(13)).toBe(4);
  });
});

describe('nextAfterRejection (leader side of the fast backup)', () => {
  const leader = follower([1, 1, 4, 4, 4, 6, 6]);
  it.each([
    ['follower too short', 7, { conflictIndex: 3, conflictTerm: -1 }, 3],
    [
      'leader has the conflict term: after its last entry of it',
      7,
      { conflictIndex: 2, conflictTerm: 4 },
      6,
    ],
    [
      'leader lacks the conflict term: at the follower first index of it',
      7,
      { conflictIndex: 3, conflictTerm: 5 },
      3,
    ],
    ['never above the rejected index', 4, { conflictIndex: 9, conflictTerm: -1 }, 4],
  ] as const)('%s', (_name, prev, hint, want) => {
    const reply = { term: 9, success: false, matchIndex: 0, round: 0, ...hint };
    expect(nextAfterRejection(leader, prev, reply)).toBe(want);
  });
});
