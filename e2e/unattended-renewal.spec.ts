import type { FixtureInput } from '../simulators/keytalk/index';
import { expect, expectNoSeriousA11yViolations, keepScreenshot, test } from './fixtures';
import { startSimHost, type SimHost } from './sim-host';
import { requestCertificate, signIn } from './ui-steps';

// The scheduler in the core (started with the browser host) watches a 30-second certificate whose server
// margin makes it due 6 s after issue. Nothing is remembered, so the silent renewal needs the user: the
// core raises the unattended-renewal popup, the user renews and signs in, and the new certificate replaces
// the old one in the store. Own simulator, home and host so the shared host stays fresh.
let kt: SimHost;

const fixture: FixtureInput = {
  server: { unattendedPopupMsgTemplate: 'Your KeyTalk certificate needs to be renewed. Please sign in.' },
  providers: [
    {
      name: 'Shorty',
      // CertValidPercent gives the same due time if the Public API margin cannot be fetched.
      rccd: { certValidPercent: 80 },
      services: [{ name: 'SHORT', credentials: ['USERID', 'PASSWD'], cert: { lifetime: 30, certExpirationMargin: 24 } }],
      users: [{ id: 'renewer', password: 's3cret' }],
    },
  ],
};

test.beforeAll(async () => {
  kt = await startSimHost('renew', fixture);
});

test.afterAll(async () => {
  await kt?.stop();
});

const renewer = { user: 'renewer', password: 's3cret' };

const fingerprints = (page: import('@playwright/test').Page) => page.getByTestId('cert-fingerprint').allTextContents();

test('unattended renewal popup renewing a short-lived certificate', async ({ page }) => {
  await page.goto(kt.host.url);
  await page.getByLabel('Choose an .rccd file').setInputFiles(kt.sim.rccds.Shorty!);
  await expect(page.getByRole('heading', { level: 3, name: 'Shorty' })).toBeVisible();
  await requestCertificate(page, { service: 'SHORT' });
  await signIn(page, renewer);
  await expect(page.getByText(/^Certificate issued: /)).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('nav-certificates').click();
  await expect(page.getByTestId('cert-fingerprint')).toHaveCount(1);
  const [oldFp] = await fingerprints(page);

  // No remembered password: the scheduler's silent renewal needs the user and raises the popup.
  const popup = page.getByTestId('popup');
  await expect(popup).toContainText('Your KeyTalk certificate needs to be renewed. Please sign in.', { timeout: 30_000 });
  await expect(popup.getByRole('button', { name: 'Renew now' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await keepScreenshot(page, 'unattended-renewal-popup');

  // A popup window opened after the event (Electron's always-on-top window) asks the core what to show.
  const popupWindow = await page.context().newPage();
  await popupWindow.goto(kt.host.url.replace('#', '#popup=unattended-renewal&'));
  await expect(popupWindow.getByTestId('popup')).toContainText('Your KeyTalk certificate needs to be renewed.');
  await expect(popupWindow.getByRole('button', { name: 'Renew now' })).toBeVisible();
  await popupWindow.close();

  await popup.getByRole('button', { name: 'Renew now' }).click();

  await signIn(page, renewer);
  await expect(page.getByText(/^Certificate issued: /)).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('nav-certificates').click();
  // The old certificate is retired from the store once the new one is confirmed there.
  await expect(page.getByTestId('cert-fingerprint')).toHaveCount(1);
  await expect(page.getByTestId('cert-fingerprint')).not.toHaveText(oldFp!);
});
