import { resources } from '../renderer/i18n/i18n';
import type { FixtureInput } from '../simulators/keytalk/index';
import { expect, expectNoSeriousA11yViolations, keepScreenshot, test } from './fixtures';
import { startSimHost, type SimHost } from './sim-host';
import { requestCertificate, signIn } from './ui-steps';

// The whole path through the UI against the KeyTalk simulator: its own agent home and browser host, so
// the shared host of the other specs stays at a fresh home.
let kt: SimHost;

test.describe.configure({ mode: 'serial' });

const fixture: FixtureInput = {
  providers: [
    {
      name: 'Acme',
      services: [
        { name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} },
        { name: 'OTP', credentials: ['USERID', 'PASSWD', 'OTP'], cert: {} },
        { name: 'RESPONSE', credentials: ['USERID', 'RESPONSE'], cert: {} },
        {
          name: 'APPROVER',
          credentials: ['USERID', 'PASSWD'],
          cert: { approverEmails: ['admin@acme.test', 'hostmaster@acme.test'] },
        },
      ],
      users: [
        {
          id: 'alice',
          password: 's3cret',
          otp: '777888',
          messages: [{ text: 'Welcome alice', utc: '2026-03-01T00:00:00Z' }],
        },
        { id: 'locked', password: 's3cret', lockedSeconds: 900 },
        { id: 'slow', password: 's3cret', delayFirstSeconds: 4 },
        { id: 'expired', password: 'old-pass', passwordExpired: true },
        {
          id: 'quiz',
          challenges: [
            { challenges: [{ name: 'Pet', value: 'Name of your first pet?' }], expect: { response: 'rex' } },
            { challenges: [{ name: 'Town', value: 'Town of birth?' }], expect: { response: 'delft' } },
          ],
        },
      ],
    },
  ],
};

test.beforeAll(async () => {
  kt = await startSimHost('flow', fixture);
});

test.afterAll(async () => {
  await kt?.stop();
});

/** Open the Enroll page (the provider is imported by the first test) and request a certificate for `service`. */
async function startEnroll(page: import('@playwright/test').Page, service: string) {
  await page.goto(kt.host.url.replace('#', '#page=enroll&'));
  await requestCertificate(page, { service });
}

test('first run: import the RCCD, pick a service, sign in, certificate issued and listed', async ({ page }) => {
  await page.goto(kt.host.url);
  await expect(page.getByRole('heading', { level: 2, name: 'Enroll' })).toBeVisible();
  await page.getByLabel('Choose an .rccd file').setInputFiles(kt.sim.rccds.Acme!);
  await expect(page.getByTestId('notice')).toHaveText('Imported provider Acme');
  await expect(page.getByRole('heading', { level: 3, name: 'Acme' })).toBeVisible();
  await requestCertificate(page, { service: 'PASSWD' });
  await signIn(page, { user: 'alice', password: 's3cret' });
  await expect(page.getByText(/^Certificate issued: /)).toBeVisible({ timeout: 60_000 });
  await keepScreenshot(page, 'enroll-issued');
  await page.getByTestId('nav-certificates').click();
  await expect(page.getByRole('listitem').filter({ hasText: 'Renew now' })).toHaveCount(1);
  await expect(page.getByText(/alice/).first()).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await keepScreenshot(page, 'certificates-issued');
});

test('a locked account is reported, not retried forever', async ({ page }) => {
  await startEnroll(page, 'PASSWD');
  await signIn(page, { user: 'locked', password: 's3cret' });
  await expect(page.getByTestId('flow-panel')).toContainText(/locked/i, { timeout: 60_000 });
  await keepScreenshot(page, 'enroll-locked');
});

test('OTP is asked for and accepted', async ({ page }) => {
  await startEnroll(page, 'OTP');
  await signIn(page, { user: 'alice', password: 's3cret' });
  await expect(page.getByText('A one-time password was sent to alice.')).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('One-time password', { exact: true }).fill('777888');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText(/^Certificate issued: /)).toBeVisible({ timeout: 60_000 });
});

test('server messages arrive with an unread badge and can be marked read', async ({ page }) => {
  await page.goto(kt.host.url.replace('#', '#page=messages&'));
  await expect(page.getByTestId('message').filter({ hasText: 'Welcome alice' })).toBeVisible();
  await expect(page.getByTestId('unread-badge')).toBeVisible();
  await keepScreenshot(page, 'messages-unread');
  const msg = page.getByTestId('message').filter({ hasText: 'Welcome alice' });
  await msg.getByRole('button', { name: 'Mark as read' }).click();
  await expect(msg.getByRole('button', { name: 'Mark as read' })).toHaveCount(0);
});

// RCDP 2.6.3: DELAY means the attempt failed; resending it would spend the user's lockout budget.
test('DELAY: a live countdown, then the form asks again; only the user signs in again', async ({ page }) => {
  await startEnroll(page, 'PASSWD');
  await signIn(page, { user: 'slow', password: 's3cret' });
  await expect(page.getByTestId('flow-wait')).toContainText(/You can try again in \d+ s/, { timeout: 60_000 });
  await keepScreenshot(page, 'enroll-delay');
  // The core's auth.rejected text as the UI shows it (renderer/i18n/locales/en/core.ts; issue 19 moved it there).
  await expect(page.getByText(resources.en.translation.core.auth.rejected)).toBeVisible({
    timeout: 60_000,
  });
  await signIn(page, { user: 'slow', password: 's3cret' });
  await expect(page.getByText(/^Certificate issued: /)).toBeVisible({ timeout: 60_000 });
});

test('EXPIRED: change the password with confirmation, then the certificate is issued', async ({ page }) => {
  await startEnroll(page, 'PASSWD');
  await signIn(page, { user: 'expired', password: 'old-pass' });
  await expect(page.getByText('Your password has expired. Choose a new one.')).toBeVisible({ timeout: 60_000 });
  await keepScreenshot(page, 'enroll-expired');
  await page.getByLabel('Current password').fill('old-pass');
  await page.getByLabel('New password', { exact: true }).fill('new-pass-1');
  await page.getByLabel('Confirm new password').fill('new-pass-1');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText(/^Certificate issued: /)).toBeVisible({ timeout: 60_000 });
});

test('challenge steps are answered one by one', async ({ page }) => {
  await startEnroll(page, 'RESPONSE');
  await signIn(page, { user: 'quiz' });
  await expect(page.getByLabel(/Name of your first pet\?/)).toBeVisible({ timeout: 60_000 });
  await keepScreenshot(page, 'enroll-challenge');
  await page.getByLabel(/Name of your first pet\?/).fill('rex');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByLabel(/Town of birth\?/)).toBeVisible({ timeout: 60_000 });
  await page.getByLabel(/Town of birth\?/).fill('delft');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText(/^Certificate issued: /)).toBeVisible({ timeout: 60_000 });
});

test('approver email is chosen from the server list', async ({ page }) => {
  await startEnroll(page, 'APPROVER');
  await signIn(page, { user: 'alice', password: 's3cret' });
  await expect(page.getByRole('group', { name: 'Choose who approves this certificate' })).toBeVisible({ timeout: 60_000 });
  await keepScreenshot(page, 'enroll-approver');
  await page.getByLabel('hostmaster@acme.test').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText(/^(Certificate issued: |The request for APPROVER is waiting for approval)/)).toBeVisible({
    timeout: 60_000,
  });
});
