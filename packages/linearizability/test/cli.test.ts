import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPrivate } from './built.js';
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

describe('raftkit-check (built binary)', () => {
  // A private build (never dist/ itself: other packages' tests import dist/ while this runs).
  let build: Awaited<ReturnType<typeof buildPrivate>>;
  beforeAll(async () => {
    build = await buildPrivate();
  }, 60_000);
  afterAll(() => build.remove());

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
