import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type Page } from '@playwright/test';
import { useTestKeyCache } from '../simulators/pki/key-cache';
import { repoRoot, startHostProcess } from './host-process';

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

/**
 * One browser host per worker, on a fresh temporary home, so every spec sees state that really came from a core
 * (the settings file, the home path) and nothing from the developer's own agent; started when a worker's first
 * test asks for it. Per worker, not per run: two workers never share a home (settings, language, damaged files).
 */
export const test = base.extend<{ openApp: (page?: string) => Promise<void> }, { host: HostInfo }>({
  host: [
    // Playwright requires an object pattern for the fixtures argument, even an empty one.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const home = mkdtempSync(path.join(os.tmpdir(), 'kt-e2e-home-'));
      const running = await startHostProcess(home);
      try {
        await use({ url: running.url, origin: running.origin, token: running.token, home });
      } finally {
        await running.stop();
        rmSync(home, { recursive: true, force: true });
      }
    },
    { scope: 'worker' },
  ],
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
