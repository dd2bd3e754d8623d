import type { RequestVoteReply } from '../types.js';
import { becomeFollower, campaign, checkVotes } from './election.js';
import type { CoreEvent, RaftCore } from './raft-core.js';

/** Precandidate and candidate: count (pre)votes; campaign again when the deadline passes. */
export function stepCandidate(r: RaftCore, event: CoreEvent): void {
  const role = r.role;
  if (role.kind !== 'candidate' && role.kind !== 'precandidate') return;
  switch (event.type) {
    case 'tick':
      if (r.now >= r.electionDeadline) campaign(r);
      return;
    case 'unreachable':
      return;
    case 'reply': {
      const { req, from } = event;
      const reply = event.reply as RequestVoteReply;
      if (reply.term > r.term && !reply.voteGranted) {
        becomeFollower(r, reply.term, -1);
        return;
      }
      const current =
        (role.kind === 'candidate' && req.type === 'RequestVote' && req.args.term === r.term) ||
        (role.kind === 'precandidate' && req.type === 'PreVote' && req.args.term === r.term + 1);
      if (!current) return;
      if (reply.voteGranted) role.granted.add(from);
      else role.rejected.add(from);
      checkVotes(r);
      return;
    }
  }
}
