import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { etcdFlavor } from '../src/torture/etcd-flavor.js';
import { runTorture } from '../src/torture/run-torture.js';
import { requireEtcd } from './support/etcd-cluster.js';

// The torture machinery against a real 3-member etcd: kill -9 + restart and SIGSTOP/SIGCONT of
// members (a minority, sometimes the leader) while recording clients run; heal; check. Real
// processes are not deterministic: the seed fixes the fault schedule, not its timing.
describe('raftkit torture against etcd', () => {
  test('kill -9, restart and SIGSTOP of members: the history is linearizable and no acknowledged write is lost', async () => {
    requireEtcd();
    const seed = Number(process.env.SEED ?? 11);
    console.log(`torture seed=${seed}`);
    const outDir = mkdtempSync(join(tmpdir(), 'raftkit-torture-test-'));
    const lines: string[] = [];
    try {
      const report = await runTorture({
        flavor: etcdFlavor(),
        nodes: 3,
        seconds: 8,
        seed,
        clients: 6,
        keys: 4,
        outDir,
        requestTimeoutMs: 1500,
        faults: {
          kinds: ['kill', 'pause'],
          leaderBias: 0.5,
          holdMs: [300, 1200],
          gapMs: [100, 400],
        },
        checkTimeoutMs: 60_000,
        recoverMs: 30_000,
        keep: false,
        log: (l) => lines.push(l),
      });
      console.log(lines.join('\n'));
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.linearizability).toBe('ok');
      expect(report.faults.kill).toBeGreaterThan(0);
      expect(report.faults.pause).toBeGreaterThan(0);
      expect(report.ackedWrites).toBeGreaterThan(0);
      expect(report.missingAcked).toBe(0);
      expect(report.operations.ok).toBeGreaterThan(100);
      // The history is written in @raftkit/linearizability's JSON format; logs are gone on a pass.
      const history = JSON.parse(readFileSync(report.historyPath, 'utf8')) as {
        model: string;
        operations: unknown[];
      };
      expect(history.model).toBe('kv');
      expect(history.operations.length).toBe(report.operations.total);
      expect(existsSync(join(outDir, 'logs'))).toBe(false);
      expect(existsSync(join(outDir, 'data'))).toBe(false);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);
});
