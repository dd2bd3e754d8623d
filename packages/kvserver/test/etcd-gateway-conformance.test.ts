import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KvGateway } from '../src/index.js';
import { loopbackGroup } from './loopback.js';

// The done-criterion of the etcd-gateway work: etcd's own compare tool, replaying the 116
// requests recorded from etcd 3.4.23, finds no difference against a raftkit gateway (strict
// mode: status, content type, normalised body, key order, body bytes). The gateway runs
// in-process on 127.0.0.1 in front of a 3-server group: once on a follower (every write and
// linearizable read is forwarded to the leader over the group's transport), once on the leader.

const fixtures = join(import.meta.dirname, 'fixtures', 'etcd-gateway');
async function compare(endpoint: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(fixtures, 'compare.mjs'), '--endpoint', endpoint, join(fixtures, 'cases.jsonl')],
      { timeout: 60_000 },
      (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
    );
  });
}

describe.each(['follower', 'leader'] as const)('a gateway on the %s', (role) => {
  const group = loopbackGroup(3, { retainRevisions: 10_000 });
  let gateway: KvGateway;
  let endpoint: string;

  beforeAll(async () => {
    const leader = await group.leader();
    const at = role === 'leader' ? leader : (leader + 1) % 3;
    gateway = new KvGateway({ server: group.servers[at]! });
    const { port } = await gateway.listen(0, '127.0.0.1');
    endpoint = `http://127.0.0.1:${port}`;
    console.log(`leader s${leader}; gateway on s${at} (${role}) at ${endpoint}`);
  }, 20_000);

  afterAll(async () => {
    await gateway.close();
    group.stop();
  });

  it('compare.mjs reports zero differences on every recorded case', async () => {
    const { code, stdout } = await compare(endpoint);
    console.log(stdout);
    expect(stdout).toMatch(/116 cases, 116 match, 0 differ; 0 invariant problems/);
    expect(code).toBe(0);
  }, 90_000);
});
