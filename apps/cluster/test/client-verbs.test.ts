import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEtcd, type TestEtcd } from './support/etcd-cluster.js';
import { runCli } from './support/run-cli.js';

// The etcdctl-like verbs of the built CLI against a real 3-member etcd 3.4 cluster on loopback.
let etcd: TestEtcd;
const ep = () => ['--endpoints', etcd.endpointList];

beforeAll(async () => {
  etcd = await startEtcd(3);
}, 60_000);
afterAll(async () => {
  await etcd?.stop();
});

describe('client verbs against etcd', () => {
  test('put, get, get --prefix (table, json, serializable), del --prefix', async () => {
    expect((await runCli(['put', 'app/a', 'one', ...ep()])).stdout).toBe('OK\n');
    expect((await runCli(['put', 'app/b', 'two', ...ep()])).code).toBe(0);
    expect((await runCli(['put', 'apq', 'outside', ...ep()])).code).toBe(0);
    expect((await runCli(['get', 'app/a', ...ep()])).stdout).toBe('app/a\none\n');

    const prefix = await runCli(['get', 'app/', '--prefix', '-w', 'json', ...ep()]);
    const parsed = JSON.parse(prefix.stdout) as {
      kvs: { key: string; value: string; version: number }[];
      count: number;
    };
    expect(parsed.kvs.map((kv) => [kv.key, kv.value, kv.version])).toEqual([
      ['app/a', 'one', 1],
      ['app/b', 'two', 1],
    ]);
    expect(parsed.count).toBe(2);

    const table = await runCli([
      'get',
      'app/',
      '--prefix',
      '--serializable',
      '-w',
      'table',
      ...ep(),
    ]);
    expect(table.stdout).toMatch(/\| app\/b +\| two +\|/);

    const values = await runCli([
      'get',
      'app/',
      '--prefix',
      '--print-value-only',
      '--limit',
      '1',
      ...ep(),
    ]);
    expect(values.stdout).toBe('one\n');

    expect((await runCli(['del', 'app/', '--prefix', ...ep()])).stdout).toBe('2\n');
    expect((await runCli(['get', 'app/', '--prefix', ...ep()])).stdout).toBe('');
    expect((await runCli(['get', 'apq', ...ep()])).stdout).toBe('apq\noutside\n');
  });

  test('txn compare-and-swap: SUCCESS, FAILURE with the current value and exit 3, --if-absent', async () => {
    await runCli(['put', 'cas', 'v1', ...ep()]);
    const ok = await runCli(['txn', 'cas', 'v2', '--if-value', 'v1', ...ep()]);
    expect([ok.code, ok.stdout]).toEqual([0, 'SUCCESS\n']);
    const stale = await runCli(['txn', 'cas', 'v3', '--if-value', 'v1', ...ep()]);
    expect([stale.code, stale.stdout]).toEqual([3, 'FAILURE\ncas\nv2\n']);
    const byVersion = await runCli(['txn', 'cas', 'v4', '--if-version', '2', ...ep()]);
    expect(byVersion.code).toBe(0);
    expect((await runCli(['txn', 'fresh', 'x', '--if-absent', ...ep()])).code).toBe(0);
    expect((await runCli(['txn', 'fresh', 'y', '--if-absent', ...ep()])).code).toBe(3);
    expect((await runCli(['get', 'cas', '--print-value-only', ...ep()])).stdout).toBe('v4\n');
    const none = await runCli(['txn', 'cas', 'v5', ...ep()]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/exactly one of --if-value/);
  });

  test('member list, endpoint status --cluster, endpoint health', async () => {
    const members = await runCli([
      'member',
      'list',
      '-w',
      'json',
      '--endpoints',
      etcd.endpointList.split(',')[0]!,
    ]);
    const list = (
      JSON.parse(members.stdout) as { members: { name: string; clientUrls: string[] }[] }
    ).members;
    expect(list.map((m) => m.name).sort()).toEqual(['n1', 'n2', 'n3']);

    // --cluster discovers all three members from one endpoint.
    const status = await runCli([
      'endpoint',
      'status',
      '--cluster',
      '-w',
      'json',
      '--endpoints',
      etcd.endpointList.split(',')[1]!,
    ]);
    expect(status.code).toBe(0);
    const all = JSON.parse(status.stdout) as {
      id: string;
      leader: string;
      isLeader: boolean;
      term: number;
      commitIndex: number;
      appliedIndex: number;
      dataSize: number;
    }[];
    expect(all).toHaveLength(3);
    expect(all.filter((s) => s.isLeader)).toHaveLength(1);
    expect(new Set(all.map((s) => s.leader)).size).toBe(1);
    for (const s of all) {
      expect(s.term).toBeGreaterThan(0);
      expect(s.commitIndex).toBeGreaterThan(0);
      expect(s.dataSize).toBeGreaterThan(0);
    }

    const health = await runCli(['endpoint', 'health', ...ep()]);
    expect(health.code).toBe(0);
    expect(health.stdout.match(/is healthy/g)).toHaveLength(3);
  });

  test('move-leader hands leadership to the named member', async () => {
    const before = JSON.parse(
      (await runCli(['endpoint', 'status', '-w', 'json', ...ep()])).stdout,
    ) as { id: string; isLeader: boolean }[];
    const target = before.find((s) => !s.isLeader)!.id;
    const moved = await runCli(['move-leader', target, ...ep()]);
    expect(moved.stdout).toMatch(new RegExp(`to ${target}`));
    const after = JSON.parse(
      (await runCli(['endpoint', 'status', '-w', 'json', ...ep()])).stdout,
    ) as { id: string; isLeader: boolean }[];
    expect(after.find((s) => s.isLeader)?.id).toBe(target);
    expect((await runCli(['move-leader', 'zz', ...ep()])).stderr).toMatch(/not a member id/);
  });

  test('errors: an unreachable endpoint, failover past it, an empty key, a bad URL', async () => {
    const dead = await runCli(['get', 'x', '--endpoints', 'http://127.0.0.1:1']);
    expect(dead.code).toBe(1);
    expect(dead.stderr).toMatch(
      /no endpoint answered: http:\/\/127\.0\.0\.1:1 \(connection refused\)/,
    );
    // A refused endpoint is skipped for the next one (the request was never sent).
    const failover = await runCli([
      'get',
      'cas',
      '--print-value-only',
      '--endpoints',
      `http://127.0.0.1:1,${etcd.endpointList}`,
    ]);
    expect(failover.stdout).toBe('v4\n');
    const empty = await runCli(['get', '', ...ep()]);
    expect(empty.stderr).toMatch(/non-empty string/);
    const badUrl = await runCli(['get', 'x', '--endpoints', 'ftp://x']);
    expect(badUrl.stderr).toMatch(/only http/);
  });
});
