import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type Page } from '@playwright/test';
import { useTestKeyCache } from '../simulators/pki/key-cache';
import { repoRoot } from './host-process';

// The specs' simulators run in this worker: their RSA keys come from the test key cache, not ~15 fresh keys per start
// (simulators/pki/key-cache.ts; KT_TEST_KEY_CACHE=off generates them). The browser hosts are children: not affected.
useTestKeyCache();

export const artifactsDir = path.join(repoRoot, 'e2e', 'artifacts');

export interface HostInfo {
  url: string;
  origin: string;
  token: string;
  home: string;
}

/** The browser host started by global-setup.ts, and helpers every spec uses. */
export const test = base.extend<{ host: HostInfo; openApp: (page?: string) => Promise<void> }>({
  // Playwright requires an object pattern for the fixtures argument, even an empty one.
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use) => {
    const { KT_E2E_URL, KT_E2E_ORIGIN, KT_E2E_TOKEN, KT_E2E_HOME } = process.env;
    if (!KT_E2E_URL || !KT_E2E_ORIGIN || !KT_E2E_TOKEN || !KT_E2E_HOME)
      throw new Error('global setup did not start the browser host');
    await use({ url: KT_E2E_URL, origin: KT_E2E_ORIGIN, token: KT_E2E_TOKEN, home: KT_E2E_HOME });
  },
  openApp: async ({ page, host }, use) => {
    await use(async (startPage?: string) => {
      const url = startPage ? `${host.origin}/#token=${host.token}&page=${startPage}` : host.url;
      await page.goto(url);
      await expect(page.getByTestId('agent-home')).toContainText(host.home);
    });
  },
});

export { expect };

/**
 * Keep a screenshot of the page as a test artifact (copied to docs/screenshots by scripts/copy-screenshots.mjs).
 * The whole page by default; `fullPage: false` keeps what a fixed-size window shows (a popup with pinned buttons).
 */
export async function keepScreenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: opts.fullPage ?? true });
}

/** axe-core on the current page; serious and critical violations fail the test. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}
