import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { raftkitFlavor } from '../src/torture/raftkit-flavor.js';
import { runTorture } from '../src/torture/run-torture.js';
import { CLI } from './support/run-cli.js';

// `raftkit torture --cluster raftkit`, short: three raftkit nodes (real processes, loopback TCP,
// WAL on disk) under kill -9 + restart, SIGSTOP/SIGCONT, partitions and one-way cuts through the
// transports' fault layers (each node's loopback admin endpoint), a minority at a time and
// sometimes the leader, while recording clients run; heal; check. Real processes are not
// deterministic: the seed fixes the fault schedule (seed 26's first five episodes are cut,
// pause, kill, partition, pause), not its timing.
describe('raftkit torture against raftkit', () => {
  test('kill -9, SIGSTOP, partitions and one-way cuts: the history is linearizable and no acknowledged write is lost', async () => {
    const seed = Number(process.env.SEED ?? 26);
    console.log(`torture seed=${seed}`);
    const outDir = mkdtempSync(join(tmpdir(), 'raftkit-torture-raftkit-test-'));
    const lines: string[] = [];
    try {
      const report = await runTorture({
        flavor: raftkitFlavor(CLI),
        nodes: 3,
        seconds: 12,
        seed,
        // 16 keys keep each key's history (with its unknown outcomes) small enough to decide;
        // with 4 keys a 60 s check was undecided in 2 of 3 runs here.
        clients: 6,
        keys: 16,
        outDir,
        requestTimeoutMs: 1500,
        faults: {
          kinds: ['kill', 'pause', 'partition', 'cut'],
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
      expect(report.problems, report.problems.join('\n')).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.linearizability).toBe('ok');
      expect(report.faults.kill).toBeGreaterThan(0);
      expect(report.faults.pause).toBeGreaterThan(0);
      if (process.env.SEED === undefined) {
        expect(report.faults.partition).toBeGreaterThan(0);
        expect(report.faults.cut).toBeGreaterThan(0);
      }
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
