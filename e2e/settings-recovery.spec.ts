import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';

// Issue 19: one wrong store in settings.json used to leave the UI on "Connecting…" with Settings gone.
test('a settings.json with an unknown store: the UI stays usable and says what was dropped', async ({ page, host, openApp }) => {
  const state = path.join(host.home, 'state');
  const file = path.join(state, 'settings.json');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  writeFileSync(file, JSON.stringify({ stores: ['file', 'foo'], logLevel: 'info' }));
  try {
    await openApp('settings');
    await expect(page.getByTestId('agent-status')).not.toContainText('Connecting');
    await expect(page.getByTestId('settings-warning')).toContainText('unknown certificate store "foo"');
    await expect(page.getByTestId('repaired-state').first()).toContainText('settings.json');
    // The stores are checkboxes, the valid one still in use, and the page still saves.
    const stores = page.getByRole('group', { name: 'Where certificates go' });
    await expect(stores.getByRole('checkbox', { name: /Certificate files/ })).toBeChecked();
    await page.getByLabel('Log level').selectOption('warn');
    await expect(page.getByTestId('notice')).toHaveText('Settings saved');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ stores: ['file'], logLevel: 'warn' });
    // The original is kept aside for support.
    const kept = readdirSync(state).filter((n) => n.startsWith('settings.json.damaged-'));
    expect(kept.map((n) => JSON.parse(readFileSync(path.join(state, n), 'utf8')))).toContainEqual({
      stores: ['file', 'foo'],
      logLevel: 'info',
    });
    await page.getByRole('button', { name: /^Certificates/ }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Certificates' })).toBeVisible();
  } finally {
    // The home is shared by every spec: leave no warning behind.
    for (const n of readdirSync(state)) if (n.startsWith('settings.json.damaged-')) rmSync(path.join(state, n));
    if (before === undefined) rmSync(file, { force: true });
    else writeFileSync(file, before);
  }
});
