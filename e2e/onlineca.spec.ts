import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startOnlineCaSimulator, type OnlineCaSimulator } from '../simulators/onlineca/index';
import { expect, expectNoSeriousA11yViolations, keepScreenshot, test } from './fixtures';
import { startHostProcess, type RunningHost } from './host-process';

// An Online CA added by its URL in the UI, against the real Online CA simulator over HTTPS: trust on first use with
// the CA fingerprints shown, then Basic-auth enrollment; and a configured pin that does not match the server.
let tmp: string;
let sim: OnlineCaSimulator;
let host: RunningHost;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kt-e2e-onlineca-'));
  sim = await startOnlineCaSimulator({
    stateDir: path.join(tmp, 'sim'),
    fixture: { realm: 'Research Online CA', users: [{ username: 'alice', password: 'alice-pw' }] },
  });
  host = await startHostProcess(path.join(tmp, 'home'));
});

test.afterAll(async () => {
  await host?.stop();
  await sim?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const colonHex = (hex: string): string => hex.match(/.{2}/g)!.join(':');

test('add an Online CA by URL, confirm its CA fingerprints, sign in and see the certificate', async ({ page }) => {
  await page.goto(host.url);
  const form = page.getByTestId('onlineca-form');
  await expect(form.getByRole('heading', { name: 'Add an Online CA' })).toBeVisible();

  // What the form says about plain http: the problem and the fix, next to the field.
  await form.getByLabel('Name').fill('Research CA');
  await form.getByLabel('URL of the Online CA').fill(sim.url.replace('https:', 'http:'));
  await form.getByRole('button', { name: 'Add Online CA' }).click();
  await expect(page.getByTestId('onlineca-url-error')).toHaveText(
    'The address must start with https:// (the Online CA is only reachable over HTTPS).',
  );
  await expect(form.getByLabel('URL of the Online CA')).toBeFocused();
  await expectNoSeriousA11yViolations(page);
  await keepScreenshot(page, 'onlineca-add-form');

  await form.getByLabel('URL of the Online CA').fill(sim.url);
  await expect(page.getByTestId('onlineca-url-error')).toHaveCount(0);
  await expect(form.getByLabel(/^Renew when less than/)).toHaveValue('10');
  await form.getByRole('button', { name: 'Add Online CA' }).click();
  await expect(page.getByTestId('notice')).toHaveText(
    'Added Online CA Research CA. Choose "Request certificate" on it to enroll.',
  );
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: 'Research CA' }) });
  await expect(card).toContainText('Online CA');
  await expect(card).toContainText(sim.url);

  await card.getByRole('button', { name: 'Request certificate' }).click();
  const trust = page.getByTestId('confirm-trust');
  await expect(trust).toBeVisible({ timeout: 30_000 });
  await expect(trust.getByRole('heading', { level: 3 })).toHaveText(
    /^First connection to the Online CA at 127\.0\.0\.1:\d+: trust this CA\?$/,
  );
  // The fingerprints shown are exactly the simulator's root and issuing CA, as people compare them (AB:CD:…).
  const shown = await trust.getByTestId('trust-fingerprint').allTextContents();
  expect(shown.sort()).toEqual([colonHex(sim.caFingerprints.root), colonHex(sim.caFingerprints.issuing)].sort());
  await expect(trust).toContainText(new X509Certificate(sim.rootCertPem).subject.split('\n').pop()!.replace('CN=', ''));
  await expect(trust.getByRole('button', { name: 'Trust this CA' })).not.toBeFocused();
  await expectNoSeriousA11yViolations(page);
  await keepScreenshot(page, 'onlineca-confirm-trust');
  await trust.getByRole('button', { name: 'Trust this CA' }).click();

  await expect(page.getByLabel('User name for "Research Online CA"')).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('User name for "Research Online CA"').fill('alice');
  await page.getByLabel('Password for "Research Online CA"').fill('alice-pw');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(/^Certificate issued: .*CN=alice/)).toBeVisible({ timeout: 60_000 });

  await page.getByTestId('nav-certificates').click();
  const cert = page.getByRole('listitem', { name: /alice/ });
  await expect(cert).toBeVisible();
  await expect(cert).toContainText(new X509Certificate(sim.issuingCertPem).subject.split('\n').pop()!);
  await cert.getByText('Details').click();
  await expect(cert).toContainText('Research CA');
  await keepScreenshot(page, 'onlineca-certificate');

  // Settings → Providers removes an Online CA provider too; its certificate stays.
  await page.getByTestId('nav-settings').click();
  await page.getByRole('button', { name: 'Remove provider Research CA' }).click();
  await expect(page.getByTestId('notice')).toHaveText('Removed provider Research CA');
  await expect(page.getByText('No providers imported.')).toBeVisible();
  await page.getByTestId('nav-certificates').click();
  await expect(page.getByRole('listitem', { name: /alice/ })).toBeVisible();
});

test('a pinned fingerprint that does not match the server: no trust question, a clear error', async ({ page }) => {
  await page.goto(`${host.origin}/#token=${host.token}&page=enroll`);
  const form = page.getByTestId('onlineca-form');
  await form.getByLabel('Name').fill('Pinned CA');
  await form.getByLabel('URL of the Online CA').fill(sim.url);
  await form.getByLabel(/^Pinned CA fingerprint/).fill('AB:CD');
  await form.getByRole('button', { name: 'Add Online CA' }).click();
  await expect(page.getByTestId('onlineca-pin-error')).toContainText('A SHA-256 fingerprint is 64 hexadecimal digits');

  const wrongPin = colonHex('AB'.repeat(32));
  await form.getByLabel(/^Pinned CA fingerprint/).fill(wrongPin);
  await form.getByRole('button', { name: 'Add Online CA' }).click();
  await expect(page.getByTestId('notice')).toHaveText(/^Added Online CA Pinned CA\./);
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: 'Pinned CA' }) });
  await card.getByRole('button', { name: 'Request certificate' }).click();

  const failure = page.getByText(/^Enrollment failed: /);
  await expect(failure).toBeVisible({ timeout: 30_000 });
  // The coded sentence (core text onlineca.pin-mismatch, in the user's language) with both fingerprints as values.
  await expect(failure).toContainText('The Online CA at 127.0.0.1:');
  await expect(failure).toContainText(`does not match the pinned fingerprint ${wrongPin}: its chain goes through `);
  await expect(failure).toContainText('Nothing was trusted; check the pin with the CA');
  await expect(page.getByTestId('confirm-trust')).toHaveCount(0);
  await keepScreenshot(page, 'onlineca-pin-mismatch');
});
