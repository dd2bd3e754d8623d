import type { KvMember } from '@raftkit/kv-protocol';

/** The members a group reports when none are configured: ids 1..n, names kv-0..kv-(n-1). */
export function defaultMembers(n: number): KvMember[] {
  return Array.from({ length: n }, (_, i) => ({
    id: String(i + 1),
    name: `kv-${i}`,
    peerUrls: [],
    clientUrls: [],
  }));
}

/** A cluster id derived from the member ids (64-bit FNV-1a, decimal), equal on every member. */
export function clusterIdOf(members: readonly KvMember[]): string {
  let h = 0xcbf29ce484222325n;
  for (const ch of members.map((m) => m.id).join(',')) {
    h ^= BigInt(ch.charCodeAt(0));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString();
}

const DECIMAL_U64 = /^(0|[1-9][0-9]{0,19})$/;

/** What is wrong with a configured member list, or undefined. */
export function membersProblem(members: unknown, n: number): string | undefined {
  if (!Array.isArray(members) || members.length !== n)
    return `members must list one member per peer (${n})`;
  const ids = new Set<string>();
  for (const m of members as KvMember[]) {
    if (typeof m !== 'object' || m === null) return 'each member must be an object';
    if (typeof m.id !== 'string' || !DECIMAL_U64.test(m.id) || BigInt(m.id) > 0xffffffffffffffffn)
      return `member id ${JSON.stringify(m.id)} must be a decimal uint64 string`;
    if (m.id === '0') return 'member id 0 is reserved (etcd uses it for "no leader")';
    if (ids.has(m.id)) return `member id ${m.id} appears twice`;
    ids.add(m.id);
    if (typeof m.name !== 'string') return 'member name must be a string';
    for (const urls of [m.peerUrls, m.clientUrls])
      if (!Array.isArray(urls) || urls.some((u) => typeof u !== 'string'))
        return 'member peerUrls and clientUrls must be arrays of strings';
  }
  return undefined;
}
