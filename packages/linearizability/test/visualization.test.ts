import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, type Locator, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('shows each partition, one row per client, a bar per operation and the failure point', async () => {
    const result = checkOperations(kvModel, history, { explain: true });
    expect(result.verdict).toBe('illegal');
    const file = join(dir, 'illegal.html');
    writeFileSync(file, renderVisualization(kvModel, history, result, { title: 'kv demo' }));
    await page.goto(pathToFileURL(file).href);

    await expect(seen(page.locator('#verdict'))).resolves.toBe('illegal');
    const partitions = page.locator('section.partition');
    expect(await partitions.count()).toBe(2);
    const bad = page.locator('section.partition[data-verdict="illegal"]');
    const good = page.locator('section.partition[data-verdict="ok"]');
    // Rows per client: key "y" has clients 0, 1, 2; key "x" too.
    expect(await bad.locator('.row').allInnerTexts()).toEqual(['client 0', 'client 1', 'client 2']);
    expect(await good.locator('.row').count()).toBe(3);
    // Bars: 4 operations on "y", 3 on "x", all visible with a width.
    expect(await bad.locator('.op').count()).toBe(4);
    expect(await good.locator('.op').count()).toBe(3);
    for (const bar of await page.locator('.op').all()) {
      const box = await bar.boundingBox();
      expect(box!.width).toBeGreaterThanOrEqual(8);
      expect(box!.height).toBeGreaterThan(10);
    }
    // The ok partition is fully ordered; the unknown-outcome append is drawn open-ended.
    expect(
      await good
        .locator('.op')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-order'))).sort()),
    ).toEqual([1, 2, 3]);
    await expect(good.locator('.op-open').isVisible()).resolves.toBe(true);
    // The failure marker is visible at the return of the read that cannot be placed.
    await expect(bad.locator('.fail-marker').isVisible()).resolves.toBe(true);
    const marker = await bad.locator('.fail-marker').boundingBox();
    const blocker = await bad.locator('.op-blocker').boundingBox();
    expect(Math.abs(marker!.x - (blocker!.x + blocker!.width))).toBeLessThan(8);
    await expect(seen(bad.locator('.op-blocker'))).resolves.toContain('get("y") → "1"');
    await expect(seen(bad.locator('.failure'))).resolves.toContain(
      'longest linearizable prefix has 3 of 4',
    );
    await expect(bad.locator('.states li').allInnerTexts()).resolves.toEqual(['"12"']);
    expect(outside).toEqual([]);
  });

  it('shows input, output and state when hovering an operation, and looks right', async () => {
    const tip = page.locator('#tooltip');
    await expect(tip.isVisible()).resolves.toBe(false);
    await page.locator('section.partition[data-verdict="illegal"] .op[data-order="3"]').hover();
    await expect(tip.isVisible()).resolves.toBe(true);
    const text = await seen(tip);
    expect(text).toContain('get("y") → "12"');
    expect(text).toMatch(/input\s+\{"op":"get","key":"y"\}/);
    expect(text).toMatch(/output\s+\{"value":"12"\}/);
    expect(text).toMatch(/state after\s+"12"/);
    expect(text).toMatch(/position\s+3 of 4/);
    await page.locator('.op-blocker').hover();
    const blockerText = await seen(tip);
    expect(blockerText).toMatch(/state after\s+could not be linearized here/);
    const screenshot = join(tmpdir(), 'raftkit-linearizability-visualization.png');
    const png = await page.screenshot({ path: screenshot, fullPage: true });
    expect(png.length).toBeGreaterThan(10_000);
    console.log(`screenshot: ${screenshot}`);
  });
});
