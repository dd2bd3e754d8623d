import type { TimeoutNowArgs, TimeoutNowReply } from '../types.js';
import { becomeFollower, campaign } from './become.js';
import type { CoreState } from './state.js';

/**
 * TimeoutNow receiver (leader transfer, thesis §3.10): the current leader
 * asks this peer to campaign at once, without a pre-vote and with voters
 * told to disregard the leader's lease. A stale request is ignored.
 */
export function handleTimeoutNow(r: CoreState, args: TimeoutNowArgs): TimeoutNowReply {
  if (args.term < r.term) return { term: r.term };
  if (args.term > r.term) becomeFollower(r, args.term, args.leaderId);
  if (r.role.kind === 'leader') return { term: r.term };
  r.trace('timeout-now', { from: args.leaderId });
  campaign(r, true);
  return { term: r.term };
}
