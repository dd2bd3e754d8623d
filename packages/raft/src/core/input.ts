import type { PeerId, RaftReply, RaftRequest } from '../types.js';

/**
 * What the core is fed, besides proposals and service calls:
 * - `tick`: time passed (campaign, heartbeat, CheckQuorum, as due);
 * - `request`: an RPC from a peer, answered by `step`'s return value, which
 *   must not leave before this step's `Ready.persist` is saved;
 * - `reply`: the answer to a request this peer sent;
 * - `unreachable`: a request this peer sent got no answer.
 */
export type CoreInput =
  | { type: 'tick' }
  | { type: 'request'; req: RaftRequest }
  | { type: 'reply'; from: PeerId; req: RaftRequest; reply: RaftReply }
  | { type: 'unreachable'; to: PeerId; req: RaftRequest };
