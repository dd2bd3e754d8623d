import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { committedIndex, hasQuorum, majority, voteResult } from '../src/core/quorum.js';

describe('quorum', () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
    [5, 3],
    [7, 4],
  ])('majority(%i) = %i', (n, m) => {
    expect(majority(n)).toBe(m);
  });

  it.each([
    [[5], 5],
    [[5, 3], 3],
    [[5, 3, 1], 3],
    [[1, 3, 5], 3],
    [[0, 0, 7], 0],
    [[9, 9, 2, 2], 2],
    [[4, 8, 6, 2, 10], 6],
    [[10, 10, 10, 0, 0], 10],
  ])('committedIndex(%j) = %i', (matches, want) => {
    expect(committedIndex(matches)).toBe(want);
  });

  it.each([
    [3, 2, 0, 'won'],
    [3, 1, 1, 'pending'],
    [3, 1, 2, 'lost'],
    [5, 2, 2, 'pending'],
    [5, 2, 3, 'lost'],
    [5, 3, 2, 'won'],
    [1, 1, 0, 'won'],
  ] as const)('voteResult(n=%i, granted=%i, rejected=%i) = %s', (n, g, r, want) => {
    expect(voteResult(n, g, r)).toBe(want);
  });

  it('committedIndex is held by a majority and no larger index is', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(100), { minLength: 1, maxLength: 9 }), (matches) => {
        const c = committedIndex(matches);
        expect(hasQuorum(matches.length, matches.filter((m) => m >= c).length)).toBe(true);
        expect(hasQuorum(matches.length, matches.filter((m) => m >= c + 1).length)).toBe(false);
      }),
    );
  });
});
