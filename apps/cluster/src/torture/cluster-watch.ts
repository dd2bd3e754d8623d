import { endpointStatus, type EndpointStatus } from '../client/cluster-info.js';
import type { GatewayClient } from '../client/gateway-client.js';
import type { NodeLaunch } from './cluster-flavor.js';

/** Each node's status (by node id); a node that did not answer has `errors` set and no `id`. */
export async function nodeStatuses(
  client: GatewayClient,
  launches: readonly NodeLaunch[],
): Promise<Map<string, EndpointStatus>> {
  const all = await Promise.all(launches.map((l) => endpointStatus(client, new URL(l.clientUrl))));
  return new Map(launches.map((l, i) => [l.id, all[i]!]));
}

/** The node id of the member that reports itself leader, if any answers so. */
export async function leaderNode(
  client: GatewayClient,
  launches: readonly NodeLaunch[],
): Promise<string | undefined> {
  for (const [id, s] of await nodeStatuses(client, launches)) if (s.isLeader) return id;
  return undefined;
}

/**
 * Polls every `pollMs` until every node in `launches` answers status and all name the same
 * leader, which is one of them. Resolves with the leader's node id, or undefined after `boundMs`.
 */
export async function waitUntilHealthy(
  client: GatewayClient,
  launches: readonly NodeLaunch[],
  boundMs: number,
  pollMs = 100,
): Promise<string | undefined> {
  const deadline = performance.now() + boundMs;
  for (;;) {
    const statuses = await nodeStatuses(client, launches);
    const all = [...statuses.values()];
    const leaders = new Set(all.map((s) => s.leader));
    if (all.every((s) => s.errors.length === 0 && s.id !== '') && leaders.size === 1) {
      for (const [id, s] of statuses) if (s.isLeader) return id;
    }
    if (performance.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
