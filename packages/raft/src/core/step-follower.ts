import { campaign } from './election.js';
import type { CoreEvent, RaftCore } from './raft-core.js';
import { becomeFollower } from './election.js';

/** Follower: campaign when the election deadline passes; replies only matter for a higher term. */
export function stepFollower(r: RaftCore, event: CoreEvent): void {
  switch (event.type) {
    case 'tick':
      if (r.now >= r.electionDeadline) campaign(r);
      return;
    case 'reply':
      if (event.reply.term > r.term) becomeFollower(r, event.reply.term, -1);
      return;
    case 'unreachable':
      return;
  }
}
