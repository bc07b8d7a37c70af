import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKeytalkSimulator, type KeytalkSimulator } from '../simulators/keytalk/index';
import { expect, expectNoSeriousA11yViolations, keepScreenshot, test } from './fixtures';
import { startHostProcess, type RunningHost } from './host-process';

// The whole path through the UI against the KeyTalk simulator: its own agent home and browser host, so
// the shared host of the other specs stays at a fresh home.
let tmp: string;
let sim: KeytalkSimulator;
let host: RunningHost;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kt-e2e-flow-'));
  sim = await startKeytalkSimulator({
    stateDir: path.join(tmp, 'sim'),
    fixture: {
      providers: [
        {
          name: 'Acme',
          services: [
            { name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} },
            { name: 'OTP', credentials: ['USERID', 'PASSWD', 'OTP'], cert: {} },
          ],
          users: [
            { id: 'alice', password: 's3cret', otp: '777888', messages: [{ text: 'Welcome alice', utc: '2026-03-01T00:00:00Z' }] },
            { id: 'locked', password: 's3cret', lockedSeconds: 900 },
          ],
        },
      ],
    },
  });
  host = await startHostProcess(path.join(tmp, 'home'));
});

test.afterAll(async () => {
  await host?.stop();
  await sim?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

async function signIn(page: import('@playwright/test').Page, user: string, password: string) {
  await expect(page.getByLabel('User name')).toBeVisible();
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('first run: import the RCCD, pick a service, sign in, certificate issued and listed', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { level: 2, name: 'Enroll' })).toBeVisible();
  await page.getByLabel('Choose an .rccd file').setInputFiles(sim.rccds.Acme!);
  await expect(page.getByTestId('notice')).toHaveText('Imported provider Acme');
  await expect(page.getByRole('heading', { level: 3, name: 'Acme' })).toBeVisible();
  await page.getByLabel('Service').selectOption('PASSWD');
  await page.getByRole('button', { name: 'Request certificate' }).click();
  await signIn(page, 'alice', 's3cret');
  await expect(page.getByText(/^Certificate issued: /)).toBeVisible({ timeout: 60_000 });
  await keepScreenshot(page, 'enroll-issued');
  await page.getByTestId('nav-certificates').click();
  await expect(page.getByRole('listitem').filter({ hasText: 'Renew now' })).toHaveCount(1);
  await expect(page.getByText(/alice/).first()).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await keepScreenshot(page, 'certificates-issued');
});

test('a locked account is reported, not retried forever', async ({ page }) => {
  await page.goto(host.url.replace('#', '#page=enroll&'));
  await page.getByLabel('Service').selectOption('PASSWD');
  await page.getByRole('button', { name: 'Request certificate' }).click();
  await signIn(page, 'locked', 's3cret');
  await expect(page.getByTestId('flow-panel')).toContainText(/locked/i, { timeout: 60_000 });
  await keepScreenshot(page, 'enroll-locked');
});

test('OTP is asked for and accepted', async ({ page }) => {
  await page.goto(host.url.replace('#', '#page=enroll&'));
  await page.getByLabel('Service').selectOption('OTP');
  await page.getByRole('button', { name: 'Request certificate' }).click();
  await signIn(page, 'alice', 's3cret');
  await expect(page.getByText('A one-time password was sent to alice.')).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('One-time password', { exact: true }).fill('777888');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText(/^Certificate issued: /)).toBeVisible({ timeout: 60_000 });
});

test('server messages arrive with an unread badge and can be marked read', async ({ page }) => {
  await page.goto(host.url.replace('#', '#page=messages&'));
  await expect(page.getByTestId('message').filter({ hasText: 'Welcome alice' })).toBeVisible();
  await expect(page.getByTestId('unread-badge')).toBeVisible();
  await keepScreenshot(page, 'messages-unread');
  const msg = page.getByTestId('message').filter({ hasText: 'Welcome alice' });
  await msg.getByRole('button', { name: 'Mark as read' }).click();
  await expect(msg.getByRole('button', { name: 'Mark as read' })).toHaveCount(0);
});
