import { endpointStatus, type EndpointStatus } from './cluster-info.js';
import type { GatewayClient } from './gateway-client.js';

/**
 * The endpoint whose member says it is the leader (its status has `member_id == leader`), among
 * the client's endpoints, asked in parallel; undefined when none does. `statuses` has every answer.
 */
export async function findLeader(
  client: GatewayClient,
): Promise<{ leader: EndpointStatus | undefined; statuses: EndpointStatus[] }> {
  const statuses = await Promise.all(client.endpoints.map((e) => endpointStatus(client, e)));
  return { leader: statuses.find((s) => s.isLeader), statuses };
}
