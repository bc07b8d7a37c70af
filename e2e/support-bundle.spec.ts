import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { expect, test } from './fixtures';

// Issue 19, "Diagnostics for the helpdesk": Settings → "Create support bundle" downloads a zip the helpdesk can read
// and that holds no secret. The bundle is made from the worker's shared host (e2e/fixtures.ts), so the logs and state
// it packs are those of the specs that ran through that host before it (specs run in name order within a worker).
test('the support bundle downloads from Settings and holds no password, key or session cookie', async ({
  page,
  host,
  openApp,
}) => {
  await openApp('settings');
  const diagnostics = page.getByTestId('diagnostics');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    diagnostics.getByRole('button', { name: 'Create support bundle' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^keytalk-agent-support-.+\.zip$/);
  await expect(diagnostics.getByRole('status')).toContainText('Support bundle downloaded');

  const zip = await JSZip.loadAsync(readFileSync(await download.path()));
  const names = Object.keys(zip.files);
  expect(names).toEqual(expect.arrayContaining(['versions.json', 'providers.json', 'settings.json', 'status.json']));
  // The agent's logs go along (the newest ones) whenever it has written any by now.
  const logsDir = path.join(host.home, 'logs');
  const logs = existsSync(logsDir) ? readdirSync(logsDir).filter((n) => n.endsWith('.log')) : [];
  expect(names.some((n) => n.startsWith('logs/'))).toBe(logs.length > 0);
  // Every byte of every entry: the e2e users' passwords, private keys and the RCDP session cookie never appear.
  for (const name of names) {
    if (zip.files[name]!.dir) continue;
    const text = await zip.files[name]!.async('string');
    for (const secret of ['s3cret', 'old-pass', 'PRIVATE KEY-----', 'keytalkcookie='])
      expect(text.includes(secret), `${secret} in ${name}`).toBe(false);
  }
});
