import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, type Locator, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKv } from './generate.js';
import {
  type KvInput,
  type KvOutput,
  type Operation,
  checkOperations,
  kvModel,
  renderVisualization,
} from '../src/index.js';

// Opens generated pages in headless Chromium and checks what a person would see.

/** The text as rendered (innerText: visible text with layout whitespace). */
// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the visible text we want.
const seen = (locator: Locator) => locator.innerText();
const CHROMIUM = process.env.RAFTKIT_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const op = (
  client: number,
  input: KvInput,
  call: number,
  output: KvOutput | undefined,
  ret: number | null,
): Operation<KvInput, KvOutput> => ({
  client,
  input,
  call,
  output,
  return: ret,
});
// Key "x" is linearizable; key "y" is not: client 2 reads "1" after client 1 has read "12".
const history = [
  op(0, { op: 'put', key: 'x', value: 'a' }, 0, {}, 10),
  op(1, { op: 'get', key: 'x' }, 5, { value: 'a' }, 15),
  op(2, { op: 'append', key: 'x', value: 'b' }, 12, undefined, null),
  op(0, { op: 'append', key: 'y', value: '1' }, 20, {}, 30),
  op(1, { op: 'append', key: 'y', value: '2' }, 22, {}, 32),
  op(1, { op: 'get', key: 'y' }, 40, { value: '12' }, 50),
  op(2, { op: 'get', key: 'y' }, 55, { value: '1' }, 60),
];

describe('HTML visualisation in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const outside: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'raftkit-vis-'));

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: run scripts/install-system-deps.sh (as root) to install Debian's chromium, then rerun the tests`,
      );
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('request', (request) => {
      if (!request.url().startsWith('file:') && !request.url().startsWith('data:'))
        outside.push(request.url());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  // The page's API for tests (the picture is a canvas).
  type Rect = { x: number; y: number; width: number; height: number };
  const viz = <T>(fn: string, ...args: unknown[]) =>
    page.evaluate(
      ([f, a]) =>
        (globalThis as unknown as { __viz: Record<string, (...x: unknown[]) => unknown> }).__viz[
          f as string
        ]!(...(a as unknown[])),
      [fn, args] as const,
    ) as Promise<T>;

  it('shows each partition, one row per client, a bar per operation and the failure point', async () => {
    const result = checkOperations(kvModel, history, { explain: true });
    expect(result.verdict).toBe('illegal');
    const file = join(dir, 'illegal.html');
    const annotations = [
      { start: 18, end: 35, tag: 'faults', description: 'partition 0 | 1 2' },
      { start: 45, client: 1, description: 'crash 1' },
    ];
    writeFileSync(
      file,
      renderVisualization(kvModel, history, result, { title: 'kv demo', annotations }),
    );
    await page.goto(pathToFileURL(file).href);

    await expect(seen(page.locator('#verdict'))).resolves.toBe('illegal');
    // The illegal partition is shown first; both are listed.
    expect(await page.locator('#partlist li').count()).toBe(2);
    await expect(page.locator('#view').getAttribute('data-verdict')).resolves.toBe('illegal');
    // Rows: the annotation tag, then one per client of key "y".
    await expect(viz('rows')).resolves.toEqual(['faults', 'client 0', 'client 1', 'client 2']);
    // Bars: every operation of "y" is on the canvas with a width, in its client's row.
    const canvas = (await page.locator('#cv').boundingBox())!;
    for (const i of [3, 4, 5, 6]) {
      const bar = await viz<Rect>('barRect', i);
      expect(bar.width).toBeGreaterThanOrEqual(2);
      expect(bar.x).toBeGreaterThanOrEqual(canvas.x);
      expect(bar.x + bar.width).toBeLessThanOrEqual(canvas.x + canvas.width);
    }
    // The failure marker is at the return of the read that cannot be placed (#6).
    const marker = (await viz<{ x: number }>('failRect'))!;
    const blocker = await viz<Rect>('barRect', 6);
    expect(Math.abs(marker.x - (blocker.x + blocker.width))).toBeLessThan(4);
    // The text uses the same numbering as the bars: #6.
    const explain = await seen(page.locator('#explain'));
    expect(explain).toContain('longest linearizable prefix has 3 of 4');
    expect(explain).toContain('#6 get("y") → "1"');
    expect(explain).toContain('"12"');
    expect(outside).toEqual([]);
  });

  it('computes states on demand when an operation is clicked, and looks right', async () => {
    const bar = await viz<Rect>('barRect', 5);
    await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
    const details = await seen(page.locator('#details'));
    expect(details).toContain('#5 get("y") → "12"');
    expect(details).toMatch(/input\s+\{"op":"get","key":"y"\}/);
    expect(details).toMatch(/state before\s+"12"/);
    expect(details).toMatch(/state after\s+"12"/);
    // Its longest partial linearization: #3, #4 (or #4, #3), then #5.
    expect(details).toMatch(/position\s+3 of 3 in the longest partial linearization containing #5/);
    const screenshot = join(tmpdir(), 'raftkit-linearizability-visualization.png');
    const png = await page.screenshot({ path: screenshot, fullPage: true });
    expect(png.length).toBeGreaterThan(10_000);
    console.log(`screenshot: ${screenshot}`);
    // The ok partition: every operation in the linearization; the open append may come last.
    await page.locator('#partlist li', { hasText: 'x' }).click();
    await expect(page.locator('#view').getAttribute('data-verdict')).resolves.toBe('ok');
    await viz('select', 1);
    await expect(seen(page.locator('#details'))).resolves.toMatch(
      /position\s+\d of 3 in the linearization/,
    );
  });

  it('stays small and interactive: 17,500 operations under 5 MB, 100,000 drawn in one partition', async () => {
    const lab = generateKv({ ops: 17_500, clients: 5, keys: 10, appends: 0.3, seed: 7 });
    // kv-tester-like times: integer microseconds in the hundreds of millions.
    const micros = lab.map((o) => ({
      ...o,
      call: Math.round(o.call * 1000) + 3e8,
      return: Math.round(o.return! * 1000) + 3e8,
    }));
    const labResult = checkOperations(kvModel, micros);
    expect(labResult.verdict).toBe('ok');
    const labPage = renderVisualization(kvModel, micros, labResult);
    console.log(`17,500-operation page: ${(labPage.length / 1e6).toFixed(2)} MB`);
    expect(labPage.length).toBeLessThan(5_000_000);

    const big = generateKv({ ops: 100_000, clients: 8, keys: 1, seed: 3 });
    const bigResult = checkOperations(kvModel, big);
    expect(bigResult.verdict).toBe('ok');
    const file = join(dir, 'big.html');
    const html = renderVisualization(kvModel, big, bigResult, { title: '100k' });
    writeFileSync(file, html);
    const t0 = performance.now();
    await page.goto(pathToFileURL(file).href);
    const loadMs = performance.now() - t0;
    const full = await viz<{ drawMs: number; bars: number }>('stats');
    expect(full.bars).toBe(100_000);
    // Zoom in at the middle with the wheel: fewer bars, labels appear.
    const canvas = (await page.locator('#cv').boundingBox())!;
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + 60);
    for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -400);
    const zoomed = await viz<{ drawMs: number; bars: number; labels: number }>('stats');
    expect(zoomed.bars).toBeLessThan(2_000);
    expect(zoomed.labels).toBeGreaterThan(5);
    console.log(
      `100,000-operation page: ${(html.length / 1e6).toFixed(1)} MB, loaded in ${loadMs.toFixed(0)} ms, full draw ${full.drawMs.toFixed(0)} ms, zoomed draw ${zoomed.drawMs.toFixed(1)} ms`,
    );
    const png = await page.screenshot({ path: join(tmpdir(), 'raftkit-linearizability-100k.png') });
    expect(png.length).toBeGreaterThan(10_000);
  });

  it('the page models agree with the models (states after every step)', async () => {
    const ops = generateKv({ ops: 300, clients: 4, keys: 3, appends: 0.4, seed: 11 });
    const result = checkOperations(kvModel, ops);
    const file = join(dir, 'agree.html');
    writeFileSync(file, renderVisualization(kvModel, ops, result));
    await page.goto(pathToFileURL(file).href);
    for (const part of result.partitions) {
      const last = part.linearization[part.linearization.length - 1]!;
      await viz('show', part.index);
      await viz('select', last);
      const details = await seen(page.locator('#details'));
      const final = kvModel.describeState!(part.states[0]!);
      expect(details.split('state before')[1]).toMatch(/state after\s+(\S+)/);
      expect(details.split('state after')[1]!.trim().split('\n')[0]).toBe(final);
    }
  });
});
