#!/usr/bin/env node
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError as CommanderArgError } from 'commander';
import { allLabTests, findLabTest } from './lab/registry.js';
import { failureReport, runLabTest, summaryLine } from './lab/run-lab-test.js';
import { seedFor } from './lab/seed.js';
import { sweep } from './sweep/sweep.js';
import { swarmTests } from './swarm/index.js';

declare const __RAFTKIT_VERSION__: string;

// A closed pipe (`raftkit list | head`) ends output quietly instead of crashing.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

function int(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new CommanderArgError(`expected a non-negative integer, got "${value}"`);
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter((s) => s !== '')];
}

const program = new Command()
  .name('raftkit')
  .description('raftkit tester: the MIT 6.5840 lab suites in virtual time')
  .version(typeof __RAFTKIT_VERSION__ === 'string' ? __RAFTKIT_VERSION__ : '0.0.0');

program
  .command('list')
  .description('list the lab tests')
  .action(() => {
    for (const t of allLabTests) console.log(`Test${t.name}\t${t.part}\t${t.description}`);
  });

program
  .command('lab')
  .description('run lab tests once each (all by default), printing the lab summary lines')
  .option('-t, --test <names>', 'test names (repeatable, comma-separated)', collect, [])
  .option('-p, --part <parts>', 'only these parts, e.g. 3A,3D', collect, [])
  .option(
    '-s, --seed <n>',
    'seed for every test (default: env SEED, else derived from the name)',
    int,
  )
  .action(async (opts: { test: string[]; part: string[]; seed?: number }) => {
    // The CLI prints each title and summary itself; the harnesses stay quiet.
    process.env.RAFTKIT_QUIET = '1';
    let tests =
      opts.test.length > 0
        ? opts.test.map((n) => findLabTest(n) ?? fail(`unknown test "${n}"`))
        : allLabTests.filter((t) => t.part !== 'swarm');
    if (opts.part.length > 0) tests = tests.filter((t) => opts.part.includes(t.part));
    const started = performance.now();
    let failures = 0;
    for (const test of tests) {
      const seed = opts.seed ?? seedFor(test.name);
      console.log(`Test (${test.part}): ${test.description} ...`);
      const r = await runLabTest(test, seed);
      if (r.ok) console.log(summaryLine(r.summary!, seed, r.traceHash));
      else {
        failures += 1;
        console.log(failureReport(r));
      }
    }
    console.log(
      `${tests.length - failures}/${tests.length} passed in ${((performance.now() - started) / 1000).toFixed(1)}s wall`,
    );
    process.exitCode = failures > 0 ? 1 : 0;
  });

program
  .command('sweep')
  .description(
    'run chosen tests over many seeds on all cores; summarise failures with replay commands',
  )
  .option('-t, --test <names>', 'test names (repeatable, comma-separated)', collect, [])
  .option(
    '--swarm',
    'add the swarm tests (SwarmRaft, SwarmKv): each seed draws its own faults and settings',
  )
  .option('-n, --seeds <n>', 'number of seeds per test', int, 100)
  .option('--first-seed <n>', 'first seed', int, 1)
  .option('-j, --jobs <n>', 'worker threads', int, availableParallelism())
  .option('--watchdog <seconds>', 'report a run as a hang after this much wall time', int, 120)
  .option(
    '--test-bug <name>',
    'harness validation: re-introduce a known Raft bug (sets RAFTKIT_TEST_BUG for the runs)',
  )
  .option('--plain', 'plain progress lines instead of a progress bar')
  .action(
    async (opts: {
      test: string[];
      swarm?: boolean;
      seeds: number;
      firstSeed: number;
      jobs: number;
      watchdog: number;
      testBug?: string;
      plain?: boolean;
    }) => {
      const tests = [...opts.test, ...(opts.swarm ? swarmTests.map((t) => t.name) : [])];
      if (tests.length === 0) fail('name tests with -t, or use --swarm');
      const summary = await sweep({
        tests,
        seeds: opts.seeds,
        firstSeed: opts.firstSeed,
        jobs: opts.jobs,
        watchdogSeconds: opts.watchdog,
        ...(opts.testBug === undefined ? {} : { env: { RAFTKIT_TEST_BUG: opts.testBug } }),
        ...(opts.plain ? { plain: true } : {}),
      });
      process.exitCode = summary.failures.length > 0 ? 1 : 0;
    },
  );

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

await program.parseAsync();
