import type { RaftReply, RaftRequest } from '../types.js';

/** The reply that refuses `req` without acting on it: no vote, no append, no install. */
export function refusal(req: RaftRequest, term: number): RaftReply {
  switch (req.type) {
    case 'RequestVote':
    case 'PreVote':
      return { term, voteGranted: false };
    case 'AppendEntries':
      return {
        term,
        success: false,
        matchIndex: 0,
        conflictIndex: 0,
        conflictTerm: -1,
        round: req.args.round,
      };
    case 'InstallSnapshot':
      return { term, round: req.args.round };
    case 'TimeoutNow':
      return { term };
  }
}
