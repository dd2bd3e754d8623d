import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SelectionError, selectTests } from '../src/lab/select.js';

const cli = join(import.meta.dirname, '../dist/cli.js');
const raftkit = (...args: string[]) =>
  spawnSync('node', [cli, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('selectTests', () => {
  it('takes names with or without the Test prefix, and parts in any case', () => {
    expect(selectTests(['TestBasic4A', 'Backup3B'], []).map((t) => t.name)).toEqual([
      'Basic4A',
      'Backup3B',
    ]);
    expect(selectTests([], ['3a']).map((t) => t.name)).toEqual([
      'InitialElection3A',
      'ReElection3A',
      'ManyElections3A',
    ]);
  });

  it('refuses unknown tests and parts, listing the valid ones, and an empty selection', () => {
    expect(() => selectTests(['NoSuchTest'], [])).toThrow(/valid tests:[\s\S]*TestBasic4A/);
    expect(() => selectTests([], ['9Z'])).toThrow(/valid parts: 3A, 3B, 3C, 3D, 4A, 4B/);
    expect(() => selectTests(['Basic4A'], ['3A'])).toThrow(SelectionError);
  });
});

describe('raftkit CLI flags', () => {
  it.each([
    [['sweep', '--test', 'NoSuchTest'], /unknown test "NoSuchTest"; valid tests:/],
    [['lab', '--test', 'NoSuchTest'], /unknown test "NoSuchTest"; valid tests:/],
    [['lab', '--part', '9Z'], /unknown part "9Z"/],
    [['sweep', '--part', '9Z'], /unknown part "9Z"/],
    [['sweep', '--seeds', '0', '-t', 'Basic4A'], /expected an integer ≥ 1, got "0"/],
    [['sweep', '--jobs', '0', '-t', 'Basic4A'], /expected an integer ≥ 1, got "0"/],
    [['lab', '--bogus'], /unknown option '--bogus'/],
    [['bench', '--clients', 'x'], /expected a number, got "x"/],
    [['torture', '--nodes', '4'], /--nodes must be 3 or 5, got "4"/],
    [['up', '--nodes', '7'], /--nodes must be 3 or 5, got "7"/],
    [['serve', '--bogus'], /unknown option '--bogus'/],
    [['put'], /missing required argument 'key'/],
    [['get', '--bogus', 'k'], /unknown option '--bogus'/],
    [['txn', 'k', 'v', '--endpoints', '127.0.0.1:1'], /exactly one of --if-value/],
  ])('raftkit %j exits 2 with a clear message', (args, message) => {
    const r = raftkit(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('lab --part 3a runs the three 3A tests, saying that times are virtual', () => {
    const r = raftkit('lab', '--part', '3a');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/"time" is virtual seconds/);
    expect(r.stdout.match(/\.\.\. Passed --.*wall=/g)).toHaveLength(3);
    expect(r.stdout).toMatch(/3\/3 passed/);
  });
});
