import type { RaftReply, RequestVoteReply } from '../types.js';
import { campaign } from './become.js';
import type { CoreInput } from './input.js';
import { receiveRequest } from './receive.js';
import { onVoteReply } from './receive-vote.js';
import type { CoreState } from './state.js';

/**
 * Precandidate and candidate: count (pre)votes and win or lose; an
 * AppendEntries or InstallSnapshot of the current term means another peer won
 * (the receiver makes this peer follow it); campaign again when the deadline
 * passes.
 */
export function stepCandidate(r: CoreState, input: CoreInput): RaftReply | undefined {
  switch (input.type) {
    case 'tick':
      if (r.now >= r.electionDeadline) campaign(r);
      return undefined;
    case 'request':
      return receiveRequest(r, input.req);
    case 'reply':
      onVoteReply(r, input.from, input.req, input.reply as RequestVoteReply);
      return undefined;
    case 'unreachable':
      return undefined;
  }
}
