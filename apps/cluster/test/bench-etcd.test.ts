import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseMix } from '../src/bench/bench-options.js';
import { runBench } from '../src/bench/run-bench.js';
import { startEtcd, type TestEtcd } from './support/etcd-cluster.js';
import { runCli } from './support/run-cli.js';

let etcd: TestEtcd;

beforeAll(async () => {
  etcd = await startEtcd(3);
}, 60_000);
afterAll(async () => {
  await etcd?.stop();
});

describe('raftkit bench against etcd', () => {
  test('a mixed run completes ops of both kinds without errors, every get hits, percentiles ordered', async () => {
    const phases: string[] = [];
    const r = await runBench(
      {
        endpoints: etcd.endpoints,
        clients: 8,
        seconds: 1.5,
        warmup: 0.5,
        mix: parseMix('put=1,get=1'),
        keys: 100,
        valueBytes: 100,
        preload: true,
        timeoutMs: 5000,
        prefix: 'bench/',
        target: 'leader',
        seed: 1,
        cpuPids: etcd.pm.pids(),
      },
      (p) => {
        if (phases.at(-1) !== p.phase) phases.push(p.phase);
      },
    );
    expect(phases).toEqual(['preload', 'warmup', 'measure', 'drain']);
    expect(r.errors).toBe(0);
    expect(r.getMisses).toBe(0);
    expect(r.byOp.put!.ops).toBeGreaterThan(0);
    expect(r.byOp.get!.ops).toBeGreaterThan(0);
    expect(r.ops).toBe(r.byOp.put!.ops + r.byOp.get!.ops);
    expect(r.p50Ms!).toBeLessThanOrEqual(r.p90Ms!);
    expect(r.p90Ms!).toBeLessThanOrEqual(r.p99Ms!);
    expect(r.p99Ms!).toBeLessThanOrEqual(r.maxMs!);
    expect(r.serverCores).toBeGreaterThan(0);
    expect(r.version).toMatch(/^3\.4\./);
  }, 30_000);

  test('the CLI prints one JSON line with --json, and the table otherwise', async () => {
    const json = await runCli([
      'bench',
      '--endpoints',
      etcd.endpointList,
      '-c',
      '4',
      '-d',
      '1',
      '--warmup',
      '0',
      '--op',
      'sget',
      '--target',
      'spread',
      '--keys',
      '50',
      '--json',
    ]);
    expect(json.code).toBe(0);
    const lines = json.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]!) as {
      tool: string;
      ops: number;
      errors: number;
      mix: Record<string, number>;
    };
    expect(r.tool).toBe('raftkit-bench');
    expect(r.ops).toBeGreaterThan(0);
    expect(r.errors).toBe(0);
    expect(r.mix).toEqual({ put: 0, get: 0, sget: 1 });

    const table = await runCli([
      'bench',
      '--endpoints',
      etcd.endpointList,
      '-c',
      '2',
      '-d',
      '0.5',
      '--warmup',
      '0',
      '--keys',
      '20',
    ]);
    expect(table.stdout).toMatch(/\| OP +\| OPS\/S +\| P50 MS/);
    expect(table.stdout).toMatch(/\| put +\| [\d,]+ +\|/);
  }, 30_000);

  test('bad options are refused before any load', async () => {
    const bad = await runCli(['bench', '--endpoints', etcd.endpointList, '--op', 'put=x']);
    expect(bad.code).toBe(2); // a usage error, like every command's
    expect(bad.stderr).toMatch(/bad op mix "put=x"/);
    const zero = await runCli(['bench', '--endpoints', etcd.endpointList, '-c', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/clients must be an integer/);
  });
});
