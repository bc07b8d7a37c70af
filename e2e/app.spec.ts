import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Language } from '../app/model/languages';
import { resources } from '../renderer/i18n/i18n';
import { pages as appPages } from '../renderer/state/pages';
import { expect, expectNoSeriousA11yViolations, keepScreenshot, test } from './fixtures';

// Every page of the app in one language: its heading and nav entry are that language's `nav` texts.
const pagesIn = (lang: Language) => appPages.map((id) => ({ id, heading: resources[lang].translation.nav[id] }));
const pages = pagesIn('en');

test('opens on Enroll for a fresh home and shows state that came from the core', async ({ page, host, openApp }) => {
  await openApp();
  // The home path and version are read from the core over the bridge, not known to the page.
  await expect(page.getByTestId('agent-home')).toContainText(host.home);
  await expect(page.getByTestId('agent-status')).toContainText('Idle');
  // First run: no providers in the temp home, so the app starts on Enroll with the RCCD import.
  await expect(page.getByRole('heading', { level: 2, name: 'Enroll' })).toBeVisible();
  await expect(page.getByTestId('rccd-dropzone')).toBeVisible();
});

test('a settings change goes to the core, is saved in the home and survives a reload', async ({ page, host, openApp }) => {
  await openApp('settings');
  const level = page.getByLabel('Log level');
  await expect(level).toHaveValue('info');
  await level.selectOption('debug');
  await expect(page.getByTestId('notice')).toHaveText('Settings saved');
  const saved = JSON.parse(readFileSync(path.join(host.home, 'state', 'settings.json'), 'utf8')) as { logLevel: string };
  expect(saved.logLevel).toBe('debug');
  await page.reload();
  await expect(page.getByLabel('Log level')).toHaveValue('debug');
  await page.getByLabel('Log level').selectOption('info');
  await expect(page.getByTestId('notice')).toHaveText('Settings saved');
});

test('an error from the core is shown, not swallowed', async ({ page, openApp }) => {
  await openApp('enroll');
  await page
    .getByLabel('Choose an .rccd file')
    .setInputFiles({ name: 'broken.rccd', mimeType: 'application/zip', buffer: Buffer.from('not a zip') });
  await expect(page.getByRole('alert')).not.toBeEmpty();
});

for (const p of pages) {
  test(`page ${p.id}: keyboard reachable, no serious axe violations, screenshot kept`, async ({ page, openApp }) => {
    await openApp(p.id);
    await expect(page.getByRole('heading', { level: 2, name: p.heading })).toBeVisible();
    await expect(page.getByRole('button', { name: new RegExp(`^${p.heading}`) })).toHaveAttribute('aria-current', 'page');
    await expectNoSeriousA11yViolations(page);
    await keepScreenshot(page, p.id);
  });
}

// The other two languages on every page, with the axe check, in one page load (lean: no new page per language).
test('the language chosen in Settings switches every page to Dutch, then German (axe-clean), and back to the OS language', async ({
  page,
  openApp,
}) => {
  await openApp('settings');
  const visitAll = async (lang: Language) => {
    for (const p of pagesIn(lang)) {
      await page.getByTestId(`nav-${p.id}`).click();
      await expect(page.getByRole('heading', { level: 2, name: p.heading })).toBeVisible();
      await expect(page.getByTestId(`nav-${p.id}`)).toHaveAttribute('aria-current', 'page');
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      if (lang === 'en') continue;
      await expectNoSeriousA11yViolations(page);
      // One Dutch set is kept for the README's "in your language" example.
      if (lang === 'nl') await keepScreenshot(page, `${p.id}-nl`);
    }
  };
  try {
    await page.locator('#language').selectOption('nl');
    await expect(page.getByTestId('notice')).toHaveText(resources.nl.translation.settings.saved);
    await visitAll('nl');
    // A reload keeps it: the choice is the core's setting, not the page's.
    await page.reload();
    await expect(page.getByRole('heading', { level: 2, name: resources.nl.translation.nav.settings })).toBeVisible();
    await page.locator('#language').selectOption('de');
    await expect(page.getByTestId('notice')).toHaveText(resources.de.translation.settings.saved);
    await visitAll('de');
  } finally {
    // The host is shared with the other specs: leave it following the OS (English here).
    await page.getByTestId('nav-settings').click();
    await page.locator('#language').selectOption('system');
  }
  await visitAll('en');
});

test('dark theme follows the OS', async ({ page, openApp }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openApp('settings');
  const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
  expect(bg).toBe('rgb(21, 24, 28)');
  await expectNoSeriousA11yViolations(page);
  await keepScreenshot(page, 'settings-dark');
});

test('a theme pinned in Settings wins over the OS, both ways', async ({ page, openApp }) => {
  const background = () => page.evaluate('getComputedStyle(document.body).backgroundColor');
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp('settings');
  const theme = page.getByLabel('Theme');
  await theme.selectOption('dark');
  await expect.poll(background).toBe('rgb(21, 24, 28)');
  await page.emulateMedia({ colorScheme: 'dark' });
  await theme.selectOption('light');
  await expect.poll(background).toBe('rgb(247, 248, 250)');
  // Back to following the OS, so the shared host's other specs see the default.
  await theme.selectOption('system');
  await expect.poll(background).toBe('rgb(21, 24, 28)');
});

test('the bridge refuses a page from another origin', async ({ page, host }) => {
  // Any other local page (here: about:blank turned into a data page) cannot open the bridge, token or not.
  await page.goto('about:blank');
  const outcome = await page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      }),
    `ws://127.0.0.1:${new URL(host.origin).port}/bridge?token=${host.token}`,
  );
  expect(outcome).toBe('refused');
});
