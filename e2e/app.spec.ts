import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, expectNoSeriousA11yViolations, keepScreenshot, test } from './fixtures';

const pages = [
  { id: 'certificates', heading: 'Certificates' },
  { id: 'enroll', heading: 'Enroll' },
  { id: 'messages', heading: 'Messages' },
  { id: 'invite', heading: 'Invite' },
  { id: 'settings', heading: 'Settings' },
] as const;

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
