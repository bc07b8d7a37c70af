import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FixtureInput } from '../simulators/keytalk/index';
import { makeKey, purposeMix } from '../test-support/scanner/test-certs';
import { expect, expectNoSeriousA11yViolations, keepScreenshot, test } from './fixtures';
import { startSimHost, type SimHost } from './sim-host';
import { enrollThroughUi } from './ui-steps';

// Cert scraping through the UI: the user adds a folder of certificates on the Settings page, enrolls against a
// service whose server asks for scraping after each successful sign-in, and the Settings page then shows the scan
// and how many certificates were sent — the same number the simulator received with store-certs. HOME is a
// throw-away folder so this machine's own NSS databases and Firefox profiles stay out.
let kt: SimHost;
let folder: string;

const fixture: FixtureInput = {
  providers: [
    {
      name: 'Acme',
      services: [
        {
          name: 'SCAN',
          credentials: ['USERID', 'PASSWD'],
          cert: {},
          certScraping: {
            schedule: 'on-successful-authentication',
            certPurposes: ['smime', 'client-auth', 'server-auth'],
            certStoreTypes: ['personal'],
          },
        },
      ],
      users: [{ id: 'alice', password: 's3cret' }],
    },
  ],
};

test.beforeAll(async () => {
  kt = await startSimHost('scanner', fixture, (dir) => {
    mkdirSync(path.join(dir, 'user'), { recursive: true });
    folder = path.join(dir, 'certs');
    mkdirSync(folder, { recursive: true });
    // server, client and S/MIME certificates match; the CA, the expired and the code-signing one do not.
    for (const [name, c] of Object.entries(purposeMix(makeKey(), 'e2e'))) writeFileSync(path.join(folder, `${name}.pem`), c.pem);
    return { env: { HOME: path.join(dir, 'user') } };
  });
});

test.afterAll(async () => {
  await kt?.stop();
});

test('after enrollment the Settings page shows the scan the server asked for and what was sent', async ({ page }) => {
  await page.goto(kt.host.url);
  await page.getByTestId('nav-settings').click();
  const scanner = page.getByTestId('scanner');
  await expect(scanner).toContainText('No scan has run yet.');
  await page.getByLabel('Folder to add (full path)', { exact: true }).fill(folder);
  await page.getByLabel('Folder to add (full path)', { exact: true }).press('Enter');
  await expect(page.getByTestId('scanner-folders')).toContainText(folder);
  const keys = page.getByRole('checkbox', { name: 'Send private keys along with the certificates' });
  await expect(keys).not.toBeChecked();

  await page.getByTestId('nav-enroll').click();
  await enrollThroughUi(page, { rccd: kt.sim.rccds.Acme!, service: 'SCAN', user: 'alice', password: 's3cret' });

  const received = (await (await fetch(`${kt.sim.control}/store-certs?user=alice`)).json()) as {
    stored: string[];
    skipped: string[];
  }[];
  const sent = received.flatMap((r) => [...r.stored, ...r.skipped]).length;
  const stored = received.flatMap((r) => r.stored).length;
  // The three matching folder certificates at least (the new certificate in the agent's store may count too).
  expect(sent).toBeGreaterThanOrEqual(3);
  // No consent: only certificates were sent, so the server could store none of them with a key.
  expect(stored).toBe(0);

  await page.getByTestId('nav-settings').click();
  const row = page
    .getByRole('table', { name: 'What each server asked for and received' })
    .getByRole('row', { name: /Acme\/SCAN/ });
  await expect(row).toContainText('after each sign-in');
  await expect(row).toContainText('smime, client-auth, server-auth');
  await expect(row).toContainText(`${sent} (0 stored, ${sent} skipped by the server)`);
  const scans = page.getByRole('table', { name: 'Last scans' });
  await expect(scans.getByRole('row')).toHaveCount(2);
  await expect(scans.getByRole('row').nth(1)).toContainText('sign-in');
  await expect(scans.getByRole('row').nth(1)).toContainText(`files in ${folder} (personal): 6`);
  await expect(scans.getByRole('row').nth(1)).toContainText(`${sent} (0 stored, ${sent} skipped)`);
  await expectNoSeriousA11yViolations(page);
  await page.getByTestId('scanner').scrollIntoViewIfNeeded();
  await keepScreenshot(page, 'settings-scanner');
});
