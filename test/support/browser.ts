import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';

export type { Browser, Page };
import { createTestApp, type TestApp } from './app';

/** Debian's Chromium; `.ci/run` installs it when it is missing. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS_DIR = join(__dirname, '..', 'screenshots');

export interface WebTestApp extends TestApp {
  baseUrl: string;
}

/** The real application listening on a free local port, for a browser to visit. */
export async function startWebApp(options: Parameters<typeof createTestApp>[0] = {}) {
  const t = await createTestApp(options);
  await t.app.listen(0, '127.0.0.1');
  const address = t.app.getHttpServer().address() as { port: number };
  return { ...t, baseUrl: `http://127.0.0.1:${address.port}` } as WebTestApp;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** A page in a fresh context: its own cookies, as a separate person's browser. */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

/** The WCAG 2.2 A and AA rules (and the best practices axe applies with them). */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** axe-core's violations on the page as it is now, one readable line each. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Saves a full-page PNG for review under test/screenshots/ (ignored by git). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

/**
 * Checks the page a journey has reached: no accessibility violations, and a screenshot. Returns
 * the violations so that the test's own expectation reports them.
 */
export async function reviewPage(page: Page, name: string): Promise<string[]> {
  await screenshot(page, name);
  return accessibilityViolations(page);
}
