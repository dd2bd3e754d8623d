import type { RaftReply } from '../types.js';
import { becomeFollower, campaign } from './become.js';
import type { CoreInput } from './input.js';
import { receiveRequest } from './receive.js';
import type { CoreState } from './state.js';

/**
 * Follower: answers the leader's AppendEntries and InstallSnapshot (each
 * restarts the election timer), votes, obeys TimeoutNow, and campaigns when
 * the election deadline passes without word from a leader.
 */
export function stepFollower(r: CoreState, input: CoreInput): RaftReply | undefined {
  switch (input.type) {
    case 'tick':
      if (r.now >= r.electionDeadline) campaign(r);
      return undefined;
    case 'request':
      return receiveRequest(r, input.req);
    case 'reply':
      // A late answer to a request of an earlier role; only a higher term matters.
      if (input.reply.term > r.term) becomeFollower(r, input.reply.term, -1);
      return undefined;
    case 'unreachable':
      return undefined;
  }
}
