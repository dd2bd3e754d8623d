import { RaftkitError } from '@raftkit/core';
import { Presets, SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError as CommanderArgError, Option } from 'commander';
import { DEFAULT_ENDPOINTS, parseEndpoints } from '../client/endpoints.js';
import { loadTlsFlags, type TlsFlags, withTlsFlags } from '../client/tls-options.js';
import { type BenchOptions, parseMix } from './bench-options.js';
import { benchTable } from './report.js';
import { type BenchProgress, runBench } from './run-bench.js';

function num(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new CommanderArgError(`expected a number, got "${value}"`);
  return n;
}

interface BenchFlags extends TlsFlags {
  endpoints: string;
  clients: number;
  seconds: number;
  warmup: number;
  op: string;
  keys: number;
  valueBytes: number;
  preload: boolean;
  timeoutMs: number;
  prefix: string;
  target: 'leader' | 'spread';
  seed: number;
  cpuPids: string;
  json?: boolean;
  progress: boolean;
}

/** Shows a cli-progress bar on a TTY stderr; returns the progress callback and a stop function. */
function progressBar(enabled: boolean): { update: (p: BenchProgress) => void; stop: () => void } {
  if (!enabled || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: '{phase} [{bar}] {value}/{total} s | {rate} ops/s | {errors} errors',
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  let lastOps = 0;
  let lastAt = performance.now();
  let rate = 0;
  return {
    update(p) {
      const now = performance.now();
      if (p.phase === 'measure' && now - lastAt >= 1000) {
        rate = Math.round(((p.ops - lastOps) * 1000) / (now - lastAt));
        lastOps = p.ops;
        lastAt = now;
      }
      const payload = { phase: p.phase.padEnd(7), rate, errors: p.errors };
      const total = Math.max(1, Math.round(p.total));
      if (!started) {
        bar.start(total, 0, payload);
        started = true;
      }
      bar.setTotal(total);
      bar.update(Math.min(total, Math.round(p.elapsed)), payload);
    },
    stop: () => bar.stop(),
  };
}

/** `raftkit bench`: closed-loop load against any endpoints speaking etcd's v3 JSON gateway. */
export function benchCommand(): Command {
  return withTlsFlags(new Command('bench'))
    .description(
      "closed-loop load against endpoints speaking etcd's v3 JSON gateway (raftkit or etcd); prints ops/s and latency percentiles",
    )
    .addOption(
      new Option('--endpoints <urls>', 'comma-separated client URLs')
        .env('RAFTKIT_ENDPOINTS')
        .default(DEFAULT_ENDPOINTS),
    )
    .option('-c, --clients <n>', 'concurrent closed-loop clients', num, 1)
    .option('-d, --seconds <s>', 'measured window, seconds', num, 10)
    .option('--warmup <s>', 'warm-up before the window, seconds', num, 2)
    .option(
      '--op <mix>',
      'put, get (linearizable), sget (serializable), mix, or weights: put=70,get=30',
      'put',
    )
    .option('--keys <n>', 'key space (uniform)', num, 1000)
    .option('--value-bytes <n>', 'value size', num, 100)
    .option('--no-preload', 'do not put every key before warm-up')
    .option('--timeout-ms <ms>', 'per-request timeout (counts as an error)', num, 5000)
    .option('--prefix <p>', 'key prefix', 'bench/')
    .addOption(
      new Option(
        '--target <t>',
        'leader: all clients to the leader; spread: round-robin over endpoints',
      )
        .choices(['leader', 'spread'])
        .default('leader'),
    )
    .option('--seed <n>', 'seeds key and op choices', num, 1)
    .option('--cpu-pids <pids>', 'server pids whose CPU use is reported', '')
    .option('--json', 'print one JSON line instead of the table')
    .option('--no-progress', 'no progress bar')
    .action(async (flags: BenchFlags) => {
      try {
        const tls = loadTlsFlags(flags);
        const options: BenchOptions = {
          endpoints: parseEndpoints(flags.endpoints),
          clients: flags.clients,
          seconds: flags.seconds,
          warmup: flags.warmup,
          mix: parseMix(flags.op),
          keys: flags.keys,
          valueBytes: flags.valueBytes,
          preload: flags.preload,
          timeoutMs: flags.timeoutMs,
          prefix: flags.prefix,
          target: flags.target,
          seed: flags.seed,
          cpuPids: flags.cpuPids
            .split(',')
            .filter((s) => s.trim() !== '')
            .map(Number),
          ...(tls !== undefined ? { tls } : {}),
        };
        const bar = progressBar(flags.progress);
        const result = await runBench(options, bar.update).finally(bar.stop);
        console.log(flags.json ? JSON.stringify(result) : benchTable(result));
      } catch (error) {
        if (!RaftkitError.isInstance(error)) throw error;
        console.error(`Error: ${error.message}`);
        process.exitCode = error.code === 'INVALID_ARGUMENT' ? 2 : 1; // usage error: 2
      }
    });
}
