import { createHash } from 'node:crypto';
import type { KvMember } from '@raftkit/kv-protocol';
import type { ServeConfig } from './config.js';

/**
 * A member's etcd-style id: the first 8 bytes of SHA-256(`<clusterId>/<nodeId>`) as a decimal
 * uint64 string (never 0, which etcd reserves for "no leader"). Every node derives the same ids
 * from the same config.
 */
export function memberIdOf(clusterId: string, nodeId: string): string {
  const id = createHash('sha256').update(`${clusterId}/${nodeId}`).digest().readBigUInt64BE(0);
  return (id === 0n ? 1n : id).toString();
}

/** The members the gateway reports (status, member list), in `config.peers` order. */
export function membersOf(config: Pick<ServeConfig, 'clusterId' | 'peers'>): KvMember[] {
  return config.peers.map((p) => ({
    id: memberIdOf(config.clusterId, p.id),
    name: p.id,
    peerUrls: [`tcp://${p.address}`],
    clientUrls: p.clientUrl === undefined ? [] : [p.clientUrl],
  }));
}
