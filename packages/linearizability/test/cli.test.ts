import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_ABOVE_BYTES } from '../src/cli/read-history.js';
import { parseMemory, runCli } from '../src/cli/run.js';
import { buildPrivate } from './built.js';
import { generateKv } from './generate.js';
import { cli } from './helpers.js';

const ok = JSON.stringify({
  model: 'register',
  operations: [
    { client: 0, input: { op: 'write', value: 1 }, call: 0, output: {}, return: 10 },
    { client: 1, input: { op: 'read' }, call: 5, output: { value: 1 }, return: 15 },
  ],
});
const illegal = JSON.stringify({
  model: 'register',
  operations: [
    { client: 0, input: { op: 'write', value: 1 }, call: 0, output: {}, return: 10 },
    { client: 1, input: { op: 'read' }, call: 11, output: { value: 0 }, return: 15 },
  ],
});

describe('raftkit-check (in process)', () => {
  it('exits 0 for ok and prints the verdict and timing', async () => {
    const r = await cli(['h.json'], { 'h.json': ok });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^h\.json: ok \(linearizable\)\n {2}2 operations, 1 partition\(s\), model register, format json\n {2}parse [\d.]+ ms, check [\d.]+ ms\n$/,
    );
  });

  it('exits 1 for illegal and says where it fails', async () => {
    const r = await cli(['h.json'], { 'h.json': illegal });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('illegal (not linearizable)');
    expect(r.stdout).toContain('fails at operation #1 (read() → 0)');
  });

  it('exits 2 for unknown (time limit)', async () => {
    const ops = [];
    for (let i = 0; i < 40; i++)
      ops.push({ client: i, input: { op: 'write', value: i }, call: 0, return: null });
    for (let i = 0; i < 40; i++)
      ops.push({
        client: 40 + i,
        input: { op: 'read' },
        call: 1,
        output: { value: 1000 + i },
        return: 2,
      });
    const r = await cli(['h.json', '--timeout', '50'], {
      'h.json': JSON.stringify({ model: 'register', operations: ops }),
    });
    expect(r.stdout).toContain('unknown (timeout)');
    expect(r.code).toBe(2);
  });

  it('exits 3 for bad input, naming the operation and field, or the line', async () => {
    const bad = JSON.stringify({
      model: 'kv',
      operations: [{ client: 0, input: { op: 'get' }, call: 0, output: { value: '' }, return: 1 }],
    });
    let r = await cli(['h.json'], { 'h.json': bad });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'raftkit-check: h.json: operations[0].input.key: is missing (a string is required)\n',
    );
    r = await cli(['e.log'], {
      'e.log':
        'INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:cas\t[1 2]\n',
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'raftkit-check: e.log: line 2: process 0 invoked :read but completes :cas\n',
    );
    r = await cli(['missing.json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot read missing\.json/);
  });

  it('exits 3 for usage errors and 0 for --help', async () => {
    expect((await cli([])).code).toBe(3);
    expect((await cli(['h.json', '--format', 'xml'], { 'h.json': ok })).code).toBe(3);
    expect((await cli(['h.json', '--timeout', 'soon'], { 'h.json': ok })).code).toBe(3);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 linearizable, 1 not linearizable, 2 unknown');
  });

  it('prints JSON with --json and writes the visualisation with --html', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftkit-check-'));
    const html = join(dir, 'out.html');
    const r = await cli(['h.json', '--json', '--html', html], { 'h.json': illegal });
    expect(r.code).toBe(1);
    const parsed = JSON.parse(r.stdout);
    expect(parsed.verdict).toBe('illegal');
    expect(parsed.partitions[0].failedAt).toBe(1);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/);
  });
});

// A private build (never dist/ itself: other packages' tests import dist/ while this runs).
let build: Awaited<ReturnType<typeof buildPrivate>>;
beforeAll(async () => {
  build = await buildPrivate();
}, 60_000);
afterAll(() => build.remove());

describe('raftkit-check (built binary)', () => {
  it('runs through its shebang and maps verdicts to exit codes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftkit-check-'));
    const bin = join(build.dir, 'cli.js');
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const cases: [string, number][] = [
      [ok, 0],
      [illegal, 1],
      ['{"model": "kv", "operations": [', 3],
    ];
    for (const [text, code] of cases) {
      const file = join(dir, `h${code}.json`);
      writeFileSync(file, text);
      const r = spawnSync(process.execPath, [bin, file], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(code);
    }
    const r = spawnSync(process.execPath, [bin, '-'], { input: ok, encoding: 'utf8' });
    expect(r.status).toBe(0);
  });
});

describe('raftkit-check: many files, budgets, streaming', () => {
  it('checks several files in one process; the exit code is the worst', async () => {
    const r = await cli(['a.json', 'b.json'], { 'a.json': ok, 'b.json': illegal });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('a.json: ok');
    expect(r.stdout).toContain('b.json: illegal');
  });

  it('checks the history files of a folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftkit-check-dir-'));
    writeFileSync(join(dir, '1.json'), ok);
    writeFileSync(join(dir, '2.json'), ok);
    writeFileSync(join(dir, 'notes.md'), 'not a history');
    const lines: string[] = [];
    const code = await runCli([dir, '--json'], {
      stdout: (t) => lines.push(t),
      stderr: (t) => lines.push(t),
    });
    expect(code).toBe(0);
    const parsed = lines
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(
      parsed.map((p) => [p.file.endsWith('1.json') || p.file.endsWith('2.json'), p.verdict]),
    ).toEqual([
      [true, 'ok'],
      [true, 'ok'],
    ]);
  });

  it('states the default time limit in --help, takes a memory budget and a step budget', async () => {
    const help = await cli(['--help']);
    expect(help.stdout).toContain('time limit 10 minutes per file');
    expect(help.stdout).toContain('memory budget 50% of the machine');
    expect(parseMemory('8G', 0)).toBe(8 * 1024 ** 3);
    expect(parseMemory('512M', 0)).toBe(512 * 1024 ** 2);
    expect(parseMemory('40%', 1000)).toBe(400);
    expect(() => parseMemory('lots', 1000)).toThrow(/size such as 8G/);
    const hard = JSON.stringify({
      model: 'register',
      operations: [
        ...Array.from({ length: 16 }, (_, i) => ({
          client: i,
          input: { op: 'write', value: i },
          call: 0,
          output: {},
          return: 100,
        })),
        { client: 99, input: { op: 'read' }, call: 200, output: { value: 99 }, return: 300 },
      ],
    });
    const r = await cli(['h.json', '--max-steps', '10000'], { 'h.json': hard });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /unknown \(step-limit: the step budget of 10000 search steps was spent\); to decide it, raise --max-steps/,
    );
    const m = await cli(['h.json', '--memory', '1M'], { 'h.json': hard });
    expect(m.code).toBe(2);
    expect(m.stdout).toMatch(/memory-limit: .*memory budget 1\.0 MB.*raise --memory/);
  });

  it('streams a large file (over 8 MB) and gives the verdict of the whole-text parser', () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftkit-check-big-'));
    const file = join(dir, 'big.json');
    const ops = generateKv({ ops: 90_000, clients: 4, keys: 50, seed: 9 });
    writeFileSync(
      file,
      `{"model": "kv", "operations": [\n${ops.map((o) => JSON.stringify(o)).join(',\n')}\n]}\n`,
    );
    expect(statSync(file).size).toBeGreaterThan(STREAM_ABOVE_BYTES);
    const bin = join(build.dir, 'cli.js');
    const r = spawnSync(process.execPath, [bin, file, '--json'], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    expect(r.status, r.stderr).toBe(0);
    const parsed = JSON.parse(r.stdout);
    expect(parsed.operations).toBe(90_000);
    expect(parsed.partitions).toHaveLength(50);
  });
});
