// The HTML report in a real browser (Debian's chromium through playwright-core): every
// corpus item's page loads with no console error and no request leaving it (everything
// but file: and data: is blocked and counted), the timeline has one [data-event] per
// incident event, clicking each evidence link shows its context, MCE items have the
// corrected-error plot and software items the oops block. Screenshots go to
// test-artifacts/html/ (gitignored). Skips, saying why, when chromium is not installed.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { analyze } from '../../src/analyze.js';
import { renderHtml } from '../../src/report/html.js';
import { CORPUS, REPO } from '../corpus.js';

const CHROMIUM = process.env['CRASHLOG_CHROMIUM'] ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const HAVE_CORPUS = existsSync(CORPUS);
const OUT = join(REPO, 'test-artifacts', 'html');
const MCE_ITEMS = ['erst-mce-after-oops', 'erst-mce-memory', 'rasdaemon-erst-mce'];
// The two gzip'd ELF dumps take 10-15 s each to read (test/vmcore covers them): left out
// unless asked, to keep this file under a minute; their items' other inputs still make a page.
const FULL = process.env['CRASHLOG_BROWSER_FULL'] === '1';
const SLOW = /\.elf\.gz$/;
const REFERENCE = /^(?:manifest\.json|truth\.json|README\.md|.*\.txt|.*\.tsv)$/;

const items = HAVE_CORPUS ? readdirSync(CORPUS).filter((d) => existsSync(join(CORPUS, d, 'truth.json'))).sort() : [];
const inputsOf = (item: string): string[] =>
  readdirSync(join(CORPUS, item)).filter((f) => !REFERENCE.test(f) && !f.startsWith('.') && (FULL || !SLOW.test(f))).sort().map((f) => join(CORPUS, item, f));

if (!HAVE_CHROMIUM) console.warn(`html-browser.test.ts: skipped: no chromium at ${CHROMIUM} (apt-get install chromium, or set CRASHLOG_CHROMIUM)`);
if (!HAVE_CORPUS) console.warn(`html-browser.test.ts: skipped: no corpus at ${CORPUS}`);

describe.skipIf(!HAVE_CHROMIUM || !HAVE_CORPUS)(`the HTML report in chromium (${CHROMIUM})`, () => {
  let browser: Browser;
  let context: BrowserContext;
  const blocked: string[] = [];

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    context = await browser.newContext({ viewport: { width: 1200, height: 900 }, offline: true });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
    mkdirSync(OUT, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  // Concurrent: one item's analysis runs while another's page renders.
  it.concurrent.for(items)('%s', async (item, { expect }) => {
    const a = await analyze(inputsOf(item));
    const file = join(OUT, `${item}.html`);
    writeFileSync(file, renderHtml(a));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(file).href);

    const events = a.incidents.flatMap((i) => i.events.map((e) => e.title));
    const marks = page.locator('svg[data-role="timeline"] [data-event]');
    expect(await marks.count()).toBe(events.length);
    expect((await marks.evaluateAll((els) => els.map((e) => e.getAttribute('data-event')))).sort()).toEqual([...events].sort());

    if (events.length) {
      // A mark shows its line: by click, and by keyboard.
      await marks.last().click();
      await expect.poll(() => page.locator('[data-role="event-detail"]').innerText()).toContain(events[events.length - 1]!);
      await marks.first().focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('[data-role="event-detail"]').innerText()).toContain(events[0]!);
      // Zoomed to the last 2 s, the boot's last mark is still drawn.
      await page.locator('button[data-zoom="2"]').click();
      expect(await marks.last().evaluate((e) => e.classList.contains('out'))).toBe(false);
      await page.locator('button[data-zoom="0"]').click();
    }

    const links = page.locator('a[data-evidence]');
    const n = await links.count();
    expect(n).toBe(a.incidents.reduce((s, i) => s + Math.min(i.evidence.length, 100), 0));
    // The first link by a real click, then every link in one round trip (a DOM click each).
    if (n) {
      await links.first().click();
      const id = (await links.first().getAttribute('href'))!.slice(1);
      expect(await page.locator(`[id="${id}"]`).isVisible()).toBe(true);
    }
    const clicked = await page.evaluate(() => [...document.querySelectorAll<HTMLAnchorElement>('a[data-evidence]')].map((link) => {
      const id = link.getAttribute('href')!.slice(1);
      const el = document.getElementById(id);
      const hiddenBefore = document.querySelector(':target')?.id === id || !el?.checkVisibility();
      link.click();
      return { id, hiddenBefore, target: document.querySelector(':target')?.id, shown: el?.checkVisibility() ?? false, hits: el?.querySelectorAll('.ln.hit').length ?? 0 };
    }));
    for (const c of clicked) expect(c).toEqual({ id: c.id, hiddenBefore: true, target: c.id, shown: true, hits: 1 });

    if (MCE_ITEMS.includes(item)) expect(await page.locator('svg[data-role="ce-plot"]').count()).toBeGreaterThan(0);
    for (const i of a.incidents.filter((x) => x.cause === 'software' && x.oops)) {
      expect(i).toBeTruthy();
      expect(await page.locator('[data-role="oops"]').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-role="oops"] .guilty').count()).toBeGreaterThan(0);
    }
    if (a.incidents.length === 0) expect(await page.locator('main').innerText()).toContain('No crash found');

    await page.goto(`${pathToFileURL(file).href}#`);
    await page.screenshot({ path: join(OUT, `${item}.png`), fullPage: true });
    if (item === 'erst-mce-memory' || item === 'ramoops-oops-panic') {
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: join(OUT, `${item}.dark.png`) });
    }
    await page.close();
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
  });
});
