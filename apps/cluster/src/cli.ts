#!/usr/bin/env node
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError as CommanderArgError } from 'commander';
import { benchCommand } from './bench/command.js';
import { registerClientCommands } from './client/commands.js';
import { allLabTests } from './lab/registry.js';
import { serveCommand } from './serve/command.js';
import { tortureCommand } from './torture/command.js';
import { upCommand } from './up/command.js';
import { failureReport, runLabTest, summaryLine } from './lab/run-lab-test.js';
import { seedFor } from './lab/seed.js';
import { knownParts, SelectionError, selectTests } from './lab/select.js';
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
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0)
    throw new CommanderArgError(`expected a non-negative integer, got "${value}"`);
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 1)
    throw new CommanderArgError(`expected an integer ≥ 1, got "${value}"`);
  return n;
}

/** The tests a command runs; a bad name or part ends the program with status 2. */
function chosenTests(names: string[], parts: string[]) {
  try {
    return selectTests(names, parts);
  } catch (error) {
    if (error instanceof SelectionError) fail(error.message);
    throw error;
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter((s) => s !== '')];
}

const program = new Command()
  .name('raftkit')
  .description(
    "raftkit: the lab tester in virtual time, and a cluster client speaking etcd's v3 JSON gateway",
  )
  .version(typeof __RAFTKIT_VERSION__ === 'string' ? __RAFTKIT_VERSION__ : '0.0.0')
  // Usage errors (bad flags, bad values) exit 2, like an unknown test; help and version exit 0.
  .exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : 2);
  });

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
  .option(
    '-p, --part <parts>',
    `only these parts (${knownParts().join(', ')}; any case)`,
    collect,
    [],
  )
  .option(
    '-s, --seed <n>',
    'seed for every test (default: env SEED, else derived from the name)',
    int,
  )
  .action(async (opts: { test: string[]; part: string[]; seed?: number }) => {
    // The CLI prints each title and summary itself; the harnesses stay quiet.
    process.env.RAFTKIT_QUIET = '1';
    const tests = chosenTests(opts.test, opts.part);
    const started = performance.now();
    let failures = 0;
    console.log(
      'Each test runs in virtual time from its seed: "time" is virtual seconds, "wall" the real time it took.',
    );
    for (const test of tests) {
      const seed = opts.seed ?? seedFor(test.name);
      console.log(`Test (${test.part}): ${test.description} ...`);
      const r = await runLabTest(test, seed);
      if (r.ok) console.log(summaryLine(r.summary!, seed, r.traceHash, r.wallMs));
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
  .option(
    '-t, --test <names>',
    'test names (repeatable, comma-separated); without --test and --part, every test',
    collect,
    [],
  )
  .option(
    '-p, --part <parts>',
    `only these parts (${knownParts().join(', ')}; any case)`,
    collect,
    [],
  )
  .option('-n, --seeds <n>', 'number of seeds per test (≥ 1)', positive, 100)
  .option('--first-seed <n>', 'first seed', int, 1)
  .option(
    '-j, --jobs <n>',
    'worker threads (≥ 1; default: one per core)',
    positive,
    availableParallelism(),
  )
  .option(
    '--swarm',
    'add the swarm tests (SwarmRaft, SwarmKv): each seed draws its own faults and settings',
  )
  .option('--watchdog <seconds>', 'report a run as a hang after this much wall time', int, 120)
  .option(
    '--test-bug <name>',
    'harness validation: re-introduce a known Raft bug (sets RAFTKIT_TEST_BUG for the runs)',
  )
  .option('--plain', 'plain progress lines instead of a progress bar')
  .action(
    async (opts: {
      test: string[];
      part: string[];
      swarm?: boolean;
      seeds: number;
      firstSeed: number;
      jobs: number;
      watchdog: number;
      testBug?: string;
      plain?: boolean;
    }) => {
      // Without -t/--part, --swarm alone sweeps the swarm tests; with neither, every lab test.
      const named =
        opts.swarm && opts.test.length === 0 && opts.part.length === 0
          ? []
          : chosenTests(opts.test, opts.part).map((t) => t.name);
      const tests = [...named, ...(opts.swarm ? swarmTests.map((t) => t.name) : [])];
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

program
  .command('replay')
  .description('replay one test from its seed and draw its trace (every message) as an HTML page')
  .requiredOption('-t, --test <name>', 'test name, e.g. Figure8Unreliable3C')
  .requiredOption('-s, --seed <n>', 'seed', int)
  .option('--html <path>', 'page to write (default <test>-seed<n>.trace.html)')
  .action(async (opts: { test: string; seed: number; html?: string }) => {
    const { replay } = await import('./trace-viewer/replay.js');
    process.exitCode = await replay(opts);
  });

registerClientCommands(program);
program.addCommand(benchCommand());
program.addCommand(tortureCommand());
program.addCommand(serveCommand());
program.addCommand(upCommand());

// Every command, however registered, treats usage errors alike: exit 2 (1 is for a run that failed).
function exitTwoOnUsageErrors(command: Command): void {
  command.exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : 2);
  });
  for (const sub of command.commands) exitTwoOnUsageErrors(sub);
}
exitTwoOnUsageErrors(program);

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

await program.parseAsync();
