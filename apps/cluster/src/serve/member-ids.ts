import type { KvMember } from '@raftkit/kv-protocol';
import type { ServeConfig } from './config.js';

/**
 * A member's etcd-style id: 64-bit FNV-1a of `<clusterId>/<nodeId>` as a decimal string (never
 * 0, which etcd reserves for "no leader"). Every node derives the same ids from the same config.
 */
export function memberIdOf(clusterId: string, nodeId: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(`${clusterId}/${nodeId}`, 'utf8')) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return (h === 0n ? 1n : h).toString();
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
