import { HttpRequestError } from '../errors/http-request-error.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { GatewayClient } from './gateway-client.js';
import { idHex, int, type WireMemberListResponse, type WireStatusResponse } from './wire.js';

export interface Member {
  /** The member id in hex, as etcdctl prints it. */
  id: string;
  /** The member id as the gateway sends it (decimal uint64). */
  rawId: string;
  name: string;
  peerUrls: string[];
  clientUrls: string[];
  isLearner: boolean;
}

/** The cluster's members (POST /v3/cluster/member/list). */
export async function memberList(client: GatewayClient, endpoint?: URL): Promise<Member[]> {
  const reply = await client.post<WireMemberListResponse>('/v3/cluster/member/list', {}, endpoint);
  return (reply.members ?? []).map((m) => ({
    id: idHex(m.ID),
    rawId: m.ID ?? '0',
    name: m.name ?? '',
    peerUrls: m.peerURLs ?? [],
    clientUrls: m.clientURLs ?? [],
    isLearner: m.isLearner === true,
  }));
}

/** One endpoint's view of itself and of the cluster (POST /v3/maintenance/status). */
export interface EndpointStatus {
  endpoint: string;
  /** Member id (hex); empty when the endpoint did not answer. */
  id: string;
  rawId: string;
  /** Leader id (hex) as this member knows it; "0" when it knows none. */
  leader: string;
  isLeader: boolean;
  version: string;
  term: number;
  /** The member's Raft commit index (etcd's `raftIndex`). */
  commitIndex: number;
  appliedIndex: number;
  /** Bytes of the member's store (etcd: the bbolt file). */
  dataSize: number;
  errors: string[];
}

export async function endpointStatus(
  client: GatewayClient,
  endpoint: URL,
): Promise<EndpointStatus> {
  try {
    const s = await client.post<WireStatusResponse>('/v3/maintenance/status', {}, endpoint);
    const rawId = s.header?.member_id ?? '0';
    return {
      endpoint: endpoint.origin,
      id: idHex(rawId),
      rawId,
      leader: idHex(s.leader),
      isLeader: s.leader !== undefined && s.leader === rawId,
      version: s.version ?? '',
      term: int(s.raftTerm ?? s.header?.raft_term),
      commitIndex: int(s.raftIndex),
      appliedIndex: int(s.raftAppliedIndex),
      dataSize: int(s.dbSize),
      errors: s.errors ?? [],
    };
  } catch (error) {
    if (!HttpRequestError.isInstance(error) && !GatewayError.isInstance(error)) throw error;
    return {
      endpoint: endpoint.origin,
      id: '',
      rawId: '',
      leader: '0',
      isLeader: false,
      version: '',
      term: 0,
      commitIndex: 0,
      appliedIndex: 0,
      dataSize: 0,
      errors: [error.message],
    };
  }
}

/**
 * The endpoints to ask: those given, or with `cluster`, every client URL of every member
 * (from the first endpoint that answers member list).
 */
export async function resolveEndpoints(client: GatewayClient, cluster: boolean): Promise<URL[]> {
  if (!cluster) return [...client.endpoints];
  const members = await memberList(client);
  const urls = new Map<string, URL>();
  for (const m of members) {
    for (const u of m.clientUrls) {
      const url = new URL(u);
      urls.set(url.origin, new URL(url.origin));
    }
  }
  return [...urls.values()];
}

export interface EndpointHealth {
  endpoint: string;
  healthy: boolean;
  /** Round trip of the check, ms. */
  tookMs: number;
  error?: string;
}

/** GET /health on one endpoint: healthy when it answers 200 with `"health":"true"`. */
export async function endpointHealth(
  client: GatewayClient,
  endpoint: URL,
): Promise<EndpointHealth> {
  const started = performance.now();
  try {
    const reply = await client.get('/health', endpoint);
    const tookMs = performance.now() - started;
    let healthy = false;
    try {
      healthy =
        reply.status === 200 && (JSON.parse(reply.body) as { health?: unknown }).health === 'true';
    } catch {
      healthy = false;
    }
    return healthy
      ? { endpoint: endpoint.origin, healthy, tookMs }
      : {
          endpoint: endpoint.origin,
          healthy,
          tookMs,
          error: `HTTP ${reply.status}: ${reply.body.trim()}`,
        };
  } catch (error) {
    if (!HttpRequestError.isInstance(error)) throw error;
    return {
      endpoint: endpoint.origin,
      healthy: false,
      tookMs: performance.now() - started,
      error: error.message,
    };
  }
}
