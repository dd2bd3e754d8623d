import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RaftkitError } from '@raftkit/core';
import { Command, InvalidArgumentError as CommanderArgError, Option } from 'commander';
import type { ClusterFlavor } from './cluster-flavor.js';
import { etcdFlavor } from './etcd-flavor.js';
import { FAULT_KINDS, type FaultKind } from './faults.js';
import { raftkitFlavor } from './raftkit-flavor.js';
import { runTorture } from './run-torture.js';

function clusterSize(value: string): 3 | 5 {
  if (value !== '3' && value !== '5')
    throw new CommanderArgError(`--nodes must be 3 or 5, got "${value}"`);
  return Number(value) as 3 | 5;
}

function num(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new CommanderArgError(`expected a non-negative number, got "${value}"`);
  return n;
}

function faultList(value: string): FaultKind[] {
  const kinds = value.split(',').filter((s) => s !== '');
  for (const k of kinds) {
    if (!(FAULT_KINDS as readonly string[]).includes(k)) {
      throw new CommanderArgError(`unknown fault "${k}"; choose from ${FAULT_KINDS.join(', ')}`);
    }
  }
  return kinds as FaultKind[];
}

interface TortureFlags {
  cluster: 'raftkit' | 'etcd';
  nodes: number;
  seconds: number;
  seed?: number;
  clients: number;
  keys: number;
  out?: string;
  faults: FaultKind[];
  leaderBias: number;
  requestTimeout: number;
  checkTimeout: number;
  keep?: boolean;
  etcdBin: string;
}

/**
 * `raftkit torture`: a cluster under kill -9, SIGSTOP and (where the transport allows)
 * partitions, with every client operation recorded and checked for linearizability.
 */
export function tortureCommand(): Command {
  return new Command('torture')
    .description(
      'run a cluster under faults (kill -9 + restart, SIGSTOP/SIGCONT, partitions) with recording clients, heal it, and check the history for linearizability and every acknowledged write; exit 0 only if all holds',
    )
    .addOption(
      new Option('--cluster <kind>', 'what to torture')
        .choices(['raftkit', 'etcd'])
        .default('raftkit'),
    )
    .option('-n, --nodes <n>', 'cluster size: 3 or 5', clusterSize, 3)
    .option('-d, --seconds <s>', 'length of the fault phase', num, 60)
    .option(
      '-s, --seed <n>',
      'fixes the fault schedule and client choices (default: random, printed)',
      num,
    )
    .option('-c, --clients <n>', 'concurrent recording clients', num, 8)
    .option(
      '--keys <n>',
      'contended keys (more keys: fewer open writes per key for the checker)',
      num,
      16,
    )
    .option('-o, --out <dir>', 'run folder (default: a new folder under the temp dir)')
    .option('--faults <kinds>', `comma-separated: ${FAULT_KINDS.join(',')}`, faultList, [
      ...FAULT_KINDS,
    ])
    .option('--leader-bias <p>', 'probability that a fault includes the leader', num, 0.3)
    .option(
      '--request-timeout <ms>',
      'client request timeout (unknown outcome for writes)',
      num,
      2000,
    )
    .option('--check-timeout <ms>', 'bound on the linearizability check', num, 300_000)
    .option('--keep', 'keep data dirs and node logs even when the run passes')
    .option('--etcd-bin <path>', 'etcd binary for --cluster etcd', process.env.ETCD_BIN ?? 'etcd')
    .action(async (flags: TortureFlags) => {
      const seed = flags.seed ?? Math.floor(Math.random() * 2 ** 31);
      const outDir = flags.out
        ? resolve(flags.out)
        : mkdtempSync(join(tmpdir(), `raftkit-torture-${flags.cluster}-${seed}-`));
      const flavor: ClusterFlavor =
        flags.cluster === 'etcd' ? etcdFlavor(flags.etcdBin) : raftkitFlavor();
      try {
        const report = await runTorture({
          flavor,
          nodes: flags.nodes,
          seconds: flags.seconds,
          seed,
          clients: flags.clients,
          keys: flags.keys,
          outDir,
          requestTimeoutMs: flags.requestTimeout,
          faults: {
            kinds: flags.faults,
            leaderBias: flags.leaderBias,
            holdMs: [300, 3000],
            gapMs: [200, 1500],
          },
          checkTimeoutMs: flags.checkTimeout,
          recoverMs: 30_000,
          keep: flags.keep === true,
          log: (line) => console.log(line),
        });
        const f = report.faults;
        console.log(
          `${report.ok ? 'PASS' : 'FAIL'} seed=${seed} ${report.flavor} nodes=${report.nodes} ops=${report.operations.total} (unknown ${report.operations.unknown}, refused writes ${report.operations.refusedWrites}) faults kill=${f.kill} pause=${f.pause} partition=${f.partition} cut=${f.cut} linearizable=${report.linearizability} acked=${report.ackedWrites} missing=${report.missingAcked} wall=${(report.wallMs / 1000).toFixed(1)}s`,
        );
        for (const p of report.problems) console.log(`  problem: ${p}`);
        console.log(
          `  history: ${report.historyPath}${report.ok ? '' : `\n  logs:    ${join(outDir, 'logs')}`}`,
        );
        if (!report.ok)
          console.log(
            `  replay the schedule: raftkit torture --cluster ${flags.cluster} --nodes ${flags.nodes} --seconds ${flags.seconds} --seed ${seed}`,
          );
        process.exitCode = report.ok ? 0 : 1;
      } catch (error) {
        if (!RaftkitError.isInstance(error)) throw error;
        console.error(`Error: ${error.message}`);
        process.exitCode = 2;
      }
    });
}
