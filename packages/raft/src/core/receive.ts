import type { RaftReply, RaftRequest } from '../types.js';
import { handleAppendEntries } from './receive-append.js';
import { handleInstallSnapshot } from './receive-snapshot.js';
import { handleTimeoutNow } from './receive-timeout-now.js';
import { handleVoteRequest } from './receive-vote.js';
import type { CoreState } from './state.js';

/** Routes an incoming request to its receiver (the same for a follower and a candidate). */
export function receiveRequest(r: CoreState, req: RaftRequest): RaftReply {
  switch (req.type) {
    case 'RequestVote':
      return handleVoteRequest(r, req.args, false);
    case 'PreVote':
      return handleVoteRequest(r, req.args, true);
    case 'AppendEntries':
      return handleAppendEntries(r, req.args);
    case 'InstallSnapshot':
      return handleInstallSnapshot(r, req.args);
    case 'TimeoutNow':
      return handleTimeoutNow(r, req.args);
  }
}
