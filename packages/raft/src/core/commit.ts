import type { Progress } from './progress.js';
import { quorumValue } from './quorum.js';
import type { LeaderRole } from './role.js';
import type { CoreState } from './state.js';
import { testBug } from './test-bugs.js';

/**
 * Leader: advances the commit index to the highest index a majority holds,
 * but only when that entry is of the current term (§5.4.2, the Figure 8
 * rule): an entry of an earlier term is never committed by counting replicas,
 * only indirectly, with the first entry of this term that commits.
 */
export function maybeCommit(r: CoreState, role: LeaderRole): void {
  const n = quorumValue(role.progress, matchOf);
  if (n > r.commitIndex && (r.log.term(n) === r.term || testBug === 'commit-earlier-term')) {
    r.commitIndex = n;
    r.trace('commit', { index: n });
    role.committedInTerm = true;
    role.commitDirty = true;
  }
}

const matchOf = (p: Progress): number => p.match;
