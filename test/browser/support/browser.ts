/**
 * Debian's Chromium driven by playwright-core. CI installs it. Without it the browser tests
 * never vanish silently: under CI=true they fail, saying what is missing; elsewhere they are
 * skipped, and chromium-reporter.ts prints one line saying how to install it.
 * DOJO_CHROMIUM points at another build (and lets a test make it missing).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { RESULTS_DIR } from './site.ts';
import { realNow, realSetTimeout } from '../../../emulator/index.ts';

export const CHROMIUM = process.env.DOJO_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const INSTALL_CHROMIUM =
  'apt-get install -y chromium (Debian, Ubuntu), or point DOJO_CHROMIUM at a Chromium build';
const inCi = /^(true|1)$/i.test(process.env.CI ?? '');

/** `describe` for a suite that needs a browser. */
export function describeWithChromium(name: string, body: () => void): void {
  if (hasChromium) describe(name, body);
  else if (inCi) {
    describe(name, () => {
      it(`needs Chromium at ${CHROMIUM}`, () => {
        throw new Error(
          `${CHROMIUM} is missing, and under CI=true the browser tests must run, not be skipped. Install it: ${INSTALL_CHROMIUM}.`,
        );
      });
    });
  } else describe.skip(`${name} (skipped: ${CHROMIUM} is missing)`, body);
}
export const SCREENSHOTS_DIR = join(RESULTS_DIR, 'screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface OpenPage {
  page: Page;
  /** Console errors and uncaught exceptions, as `message (where)`. */
  problems: string[];
}

/**
 * A page that records its console errors. Playwright's own timeouts are off: with a local
 * cloud in this process they would run on its virtual clock, and fire early when it jumps.
 * `waitUntil` (real time) and vitest's test timeout bound every wait instead.
 */
export async function openPage(
  browser: Browser,
  options: { ignore?: (text: string, url: string) => boolean } = {},
): Promise<OpenPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(0);
  page.setDefaultNavigationTimeout(0);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = m.location().url ?? '';
    if (options.ignore?.(m.text(), url)) return;
    problems.push(`${m.text()} (${url || 'no location'})`);
  });
  // A missing file of the site itself (an icon, a script) is a problem even when no script sees it.
  page.on('response', (r) => {
    if (
      r.status() >= 400 &&
      new URL(r.url()).origin === new URL(page.url() || r.url()).origin &&
      !options.ignore?.(`HTTP ${r.status()}`, r.url())
    )
      problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  return { page, problems };
}

/** A full-page PNG under test-results/screenshots/, once the animations under way (a virus popping in) are over. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Polls `check` in real time until it holds; fails with `what` and the last value seen. */
export async function waitUntil<T>(
  check: () => Promise<T> | T,
  what: string,
  timeoutMs = 30_000,
): Promise<NonNullable<T>> {
  const deadline = realNow() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (realNow() > deadline)
      throw new Error(`Waited ${timeoutMs / 1000} s for ${what} (last: ${JSON.stringify(last)}).`);
    await sleep(100);
  }
}

/** Fails after `ms` of real time with `what`: playwright's own timeouts are off (see openPage). */
export function within<T>(work: Promise<T>, what: string, ms = 20_000): Promise<T> {
  return Promise.race([
    work,
    sleep(ms).then(() => Promise.reject(new Error(`${what} did not happen within ${ms / 1000} s.`))),
  ]);
}

/**
 * The board's viruses whose middle is not under another one: a click there hits them. Their
 * spots are random, so the first virus of a list may lie under the next, and a click on it
 * would kill that one instead.
 */
export function clickableViruses(page: Page): Promise<string[]> {
  return page.locator('.board-virus').evaluateAll((els) =>
    els
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return (
          document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.closest('.board-virus') === e
        );
      })
      .map((e) => e.getAttribute('data-virus-id')!),
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}
