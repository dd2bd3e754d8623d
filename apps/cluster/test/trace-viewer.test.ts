import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LogRecord } from '@raftkit/core';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findLabTest } from '../src/lab/registry.js';
import { runLabTest } from '../src/lab/run-lab-test.js';
import { renderTraceViewer } from '../src/trace-viewer/render-trace.js';
import { replay } from '../src/trace-viewer/replay.js';

// Opens trace viewer pages of real simulated runs in headless Chromium (Debian's chromium, as
// the linearizability package's visualisation test does) and checks what they show.
const CHROMIUM = process.env.RAFTKIT_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'];
const SEED = 1;

interface Counts {
  bands: number;
  down: number;
  cut: number;
  unreliable: number;
  msgs: number;
  marks: number;
  ops: number;
  records: number;
}
interface Stats {
  drawMs: number;
  arrows: number;
  ops: number;
  marks: number;
  bands: number;
  capped: boolean;
}
type Api = Record<string, (...args: unknown[]) => unknown>;
const call = <T>(page: Page, fn: string, ...args: unknown[]) =>
  page.evaluate(
    ([f, a]) =>
      (globalThis as unknown as { __trace: Api }).__trace[f as string]!(...(a as unknown[])),
    [fn, args] as const,
  ) as Promise<T>;

describe('trace viewer in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const outside: string[] = [];
  const errors: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'raftkit-trace-'));
  const saved = { ...process.env };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: run scripts/install-chromium.sh (as root)`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) outside.push(r.url());
    });
    page.on('pageerror', (e) => errors.push(e.message));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  const open = async (file: string, shot: string) => {
    await page.goto(pathToFileURL(file).href);
    const png = join(tmpdir(), `raftkit-trace-${shot}.png`);
    await page.screenshot({ path: png });
    console.log(`screenshot: ${png}`);
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    return {
      counts: await call<Counts>(page, 'counts'),
      stats: await call<Stats>(page, 'stats'),
      lanes: await call<string[]>(page, 'lanes'),
    };
  };

  it('draws a passing Figure8Unreliable run: roles and terms, partitions, unreliable net, messages', async () => {
    console.log(`seed=${SEED}`);
    const html = join(dir, 'f8-pass.html');
    const lines: string[] = [];
    const code = await replay({ test: 'Figure8Unreliable3C', seed: SEED, html }, (l) =>
      lines.push(l),
    );
    expect(code, lines.join('\n')).toBe(0);
    const { counts, stats, lanes } = await open(html, 'figure8-pass');
    await expect(page.locator('#outcome').textContent()).resolves.toBe('passed');
    expect(lanes).toEqual(['server 0', 'server 1', 'server 2', 'server 3', 'server 4']);
    expect(counts.bands).toBeGreaterThan(20); // role/term periods
    expect(counts.cut).toBeGreaterThan(5); // servers cut off from a majority
    expect(counts.unreliable).toBe(1); // the whole test runs unreliable
    expect(counts.msgs).toBeGreaterThan(1000); // every delivery is traced on replay
    expect(counts.marks).toBeGreaterThan(100); // commit and apply indices
    expect(stats.arrows).toBeGreaterThan(0);
    // A leader band exists, and clicking a message shows its record's fields.
    const data = await page.evaluate(
      () =>
        (
          globalThis as unknown as {
            __trace: {
              data: {
                bands: { role: number[] };
                msgs: {
                  t0: number[];
                  t1: number[];
                  from: number[];
                  to: number[];
                  status: number[];
                };
              };
            };
          }
        ).__trace.data,
    );
    expect(data.bands.role).toContain(3);
    const k = data.msgs.status.findIndex(
      (s, i) => s === 0 && data.msgs.t1[i]! - data.msgs.t0[i]! > 1,
    );
    const t0 = data.msgs.t0[k]!;
    const t1 = data.msgs.t1[k]!;
    await call(page, 'zoom', t0 - 5, t1 + 5);
    const a = await call<{ x: number; y: number }>(page, 'point', t0, data.msgs.from[k]);
    const b = await call<{ x: number; y: number }>(page, 'point', t1, data.msgs.to[k]);
    await page.mouse.click((a.x + b.x) / 2, (a.y + b.y) / 2);
    const fields = await page.locator('#fields').textContent();
    expect(fields).toMatch(/^request Raft\.(AppendEntries|RequestVote)/);
    expect(fields).toContain('"sent"');
    await page.screenshot({ path: join(tmpdir(), 'raftkit-trace-figure8-zoomed.png') });
  });

  it('draws a failing Figure8Unreliable run beside its trace, with the error', async () => {
    process.env.RAFTKIT_TEST_CORRUPT_APPLY = '30';
    process.env.RAFTKIT_TRACE_DIR = dir;
    const r = await runLabTest(findLabTest('Figure8Unreliable3C')!, SEED);
    expect(r.ok).toBe(false);
    expect(r.htmlPath).toBe(join(dir, `Figure8Unreliable3C-seed${SEED}.trace.html`));
    expect(r.tracePath).toBe(join(dir, `Figure8Unreliable3C-seed${SEED}.jsonl`));
    const { counts } = await open(r.htmlPath!, 'figure8-fail');
    await expect(page.locator('#outcome').textContent()).resolves.toBe('FAILED');
    await expect(page.locator('#error').textContent()).resolves.toContain(
      'commit index=30 server=1',
    );
    // Without replay, only faults are traced: drops and unreachable ends, but still drawn.
    expect(counts.msgs).toBeGreaterThan(0);
    expect(counts.bands).toBeGreaterThan(10);
  });

  it('draws a kv linearizability run, passing and failing, with client operations and the verdict', async () => {
    const pass = join(dir, 'kv-pass.html');
    const name = 'PersistPartitionUnreliableLinearizable4A';
    expect(await replay({ test: name, seed: SEED, html: pass }, () => {})).toBe(0);
    const ok = await open(pass, 'kv-pass');
    expect(ok.lanes.slice(0, 7)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `server ${i}`));
    expect(ok.lanes).toContain('clerks');
    expect(ok.lanes).toContain('client 0');
    expect(ok.counts.ops).toBeGreaterThan(500);
    expect(ok.counts.down).toBeGreaterThan(5); // crash/restart periods
    expect(ok.counts.marks).toBeGreaterThan(100);
    await expect(page.locator('.summary').textContent()).resolves.toContain('linearizability: ok');

    process.env.RAFTKIT_TEST_CORRUPT_HISTORY = '40';
    const fail = join(dir, 'kv-fail.html');
    expect(await replay({ test: name, seed: SEED, html: fail }, () => {})).toBe(1);
    const bad = await open(fail, 'kv-fail');
    await expect(page.locator('.summary').textContent()).resolves.toContain(
      'linearizability: illegal',
    );
    const verdicts = await page.evaluate(
      () =>
        (
          globalThis as unknown as {
            __trace: { data: { ops: { verdict: number[]; text: string[] } } };
          }
        ).__trace.data.ops,
    );
    const failing = verdicts.verdict.flatMap((v, i) => (v === 2 ? [verdicts.text[i]] : []));
    expect(failing).toHaveLength(1);
    expect(failing[0]).toContain('<corrupted>');
    expect(verdicts.verdict.filter((v) => v === 1).length).toBeGreaterThan(10);
    expect(bad.counts.records).toBeGreaterThan(50_000);
  });

  it('stays interactive for 300,000 records', async () => {
    const records: LogRecord[] = [];
    for (let i = 0; i < 300_000; i++) {
      const t = i * 0.1;
      const from = i % 5;
      const to = (i + 1 + (i % 3)) % 5;
      if (i % 997 === 0) records.push({ t, src: `raft-${from}`, ev: 'become-leader', term: i });
      records.push({
        t,
        src: 'net',
        ev: i % 10 === 0 ? 'drop-request' : 'request',
        end: `end-${from}-${to}-${i % 7}`,
        method: i % 2 ? 'Raft.AppendEntries' : 'Raft.RequestVote',
        server: String(to),
        sent: t - 1,
      });
    }
    const file = join(dir, 'big.html');
    writeFileSync(
      file,
      renderTraceViewer(records, {
        test: 'Synthetic',
        seed: 0,
        ok: true,
        tEnd: 30_000,
        total: records.length,
        deliveries: true,
      }),
    );
    const size = readFileSync(file).length;
    const t0 = performance.now();
    const { stats } = await open(file, 'synthetic-300k');
    const loadMs = performance.now() - t0;
    expect(stats.capped).toBe(true); // zoomed out: a sample of the arrows, and it says so
    const zoomed = await call<Stats>(page, 'zoom', 1000, 1100);
    expect(zoomed.capped).toBe(false);
    expect(zoomed.arrows).toBeGreaterThan(500);
    console.log(
      `300,000 records: page ${(size / 1e6).toFixed(1)} MB, loaded in ${loadMs.toFixed(0)} ms, full draw ${stats.drawMs.toFixed(0)} ms, zoomed draw ${zoomed.drawMs.toFixed(1)} ms`,
    );
  });
});
