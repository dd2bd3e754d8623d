import { InvalidArgumentError } from '@raftkit/core';
import { NoLeaderError } from '../errors/no-leader-error.js';
import { endpointStatus } from './cluster-info.js';
import type { GatewayClient } from './gateway-client.js';
import { idFromHex, type WireHeader } from './wire.js';

/**
 * Asks the leader to hand leadership to member `targetHex` (POST
 * /v3/maintenance/transfer-leadership, etcd's MoveLeader). The request must reach the current
 * leader, so the leader is found first among the client's endpoints. Resolves with the old
 * leader's endpoint once the transfer is done.
 */
export async function moveLeader(
  client: GatewayClient,
  targetHex: string,
): Promise<{ from: string; leaderEndpoint: string }> {
  const target = idFromHex(targetHex);
  if (target === undefined) {
    throw new InvalidArgumentError({
      argument: 'id',
      message: `"${targetHex}" is not a member id; give the hex id from "raftkit member list"`,
    });
  }
  const statuses = await Promise.all(client.endpoints.map((e) => endpointStatus(client, e)));
  const leader = statuses.find((s) => s.isLeader);
  if (leader === undefined) {
    const seen = statuses.map((s) => `${s.endpoint}: ${s.errors[0] ?? `leader ${s.leader}`}`);
    throw new NoLeaderError({ seen });
  }
  await client.post<{ header?: WireHeader }>(
    '/v3/maintenance/transfer-leadership',
    { targetID: target },
    new URL(leader.endpoint),
  );
  return { from: leader.id, leaderEndpoint: leader.endpoint };
}
