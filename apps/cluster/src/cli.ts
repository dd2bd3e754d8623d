#!/usr/bin/env node
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError as CommanderArgError } from 'commander';
import { allLabTests, findLabTest } from './lab/registry.js';
import { failureReport, runLabTest, summaryLine } from './lab/run-lab-test.js';
import { seedFor } from './lab/seed.js';
import { sweep } from './sweep/sweep.js';

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
        : [...allLabTests];
    if (opts.part.length > 0) tests = tests.filter((t) => opts.part.includes(t.part));
    const started = performance.now();
    let failures = 0;
    for (const test of tests) {
      const seed = opts.seed ?? seedFor(test.name);
      console.log(`Test (${test.part}): ${test.description} ...`);
      const r = await runLabTest(test, seed);
      if (r.ok) console.log(summaryLine(r.summary!, seed));
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
  .requiredOption('-t, --test <names>', 'test names (repeatable, comma-separated)', collect, [])
  .option('-n, --seeds <n>', 'number of seeds per test', int, 100)
  .option('--first-seed <n>', 'first seed', int, 1)
  .option('-j, --jobs <n>', 'worker threads', int, availableParallelism())
  .option('--plain', 'plain progress lines instead of a progress bar')
  .action(
    async (opts: {
      test: string[];
      seeds: number;
      firstSeed: number;
      jobs: number;
      plain?: boolean;
    }) => {
      const summary = await sweep({
        tests: opts.test,
        seeds: opts.seeds,
        firstSeed: opts.firstSeed,
        jobs: opts.jobs,
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

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

await program.parseAsync();
