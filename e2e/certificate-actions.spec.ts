import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import type { FixtureInput } from '../simulators/keytalk/index';
import { expect, expectNoSeriousA11yViolations, keepScreenshot, test } from './fixtures';
import { startSimHost, type SimHost } from './sim-host';
import { requestCertificate, signIn } from './ui-steps';

// Certificates page actions against the simulator: P12 export (password typed twice, downloaded, opened by
// OpenSSL) and a request waiting for approval that "Check now" completes. Own simulator, home and host.
let kt: SimHost;

test.describe.configure({ mode: 'serial' });

const fixture: FixtureInput = {
  providers: [
    {
      name: 'Acme',
      services: [
        { name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} },
        { name: 'APPROVAL', credentials: ['USERID', 'PASSWD'], cert: { pendingApprovalPolls: 1 } },
      ],
      users: [{ id: 'dave', password: 's3cret' }],
    },
  ],
};

test.beforeAll(async () => {
  kt = await startSimHost('certs', fixture);
});

test.afterAll(async () => {
  await kt?.stop();
});

async function enroll(page: import('@playwright/test').Page, service: string, remember = false) {
  await page.goto(kt.host.url.replace('#', '#page=enroll&'));
  await requestCertificate(page, { service });
  await signIn(page, { user: 'dave', password: 's3cret', remember });
}

test('export a certificate as P12 with a password typed twice; OpenSSL opens it', async ({ page }) => {
  await page.goto(kt.host.url);
  await page.getByLabel('Choose an .rccd file').setInputFiles(kt.sim.rccds.Acme!);
  await expect(page.getByRole('heading', { level: 3, name: 'Acme' })).toBeVisible();
  await enroll(page, 'PASSWD');
  await expect(page.getByText(/^Certificate issued: /)).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('nav-certificates').click();
  await page.getByRole('button', { name: 'Export…' }).click();
  await page.getByLabel('Password for the file').fill('export-pass-1');
  await page.getByLabel('Repeat the password').fill('export-pass-2');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The passwords do not match.' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await keepScreenshot(page, 'certificates-export');
  await page.getByLabel('Repeat the password').fill('export-pass-1');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const file = path.join(kt.dir, 'exported.p12');
  await (await download).saveAs(file);
  const pem = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:export-pass-1', '-noenc'], { encoding: 'utf8' });
  expect(pem).toContain('BEGIN PRIVATE KEY');
  const leaf = new X509Certificate(pem.slice(pem.indexOf('-----BEGIN CERTIFICATE-----')));
  const fp = await page.getByTestId('cert-fingerprint').first().textContent();
  expect(leaf.fingerprint256.replace(/:/g, '')).toBe(fp?.trim());
});

test('a request waiting for approval is listed and "Check now" completes it', async ({ page }) => {
  await enroll(page, 'APPROVAL', true);
  await expect(page.getByText('The request for APPROVAL is waiting for approval.')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('nav-certificates').click();
  const approvals = page.getByTestId('approvals');
  await expect(approvals).toContainText('Acme / APPROVAL, requested');
  await expectNoSeriousA11yViolations(page);
  await keepScreenshot(page, 'certificates-pending-approval');
  await approvals.getByRole('button', { name: 'Check now' }).click();
  await expect(page.getByText('Checked 1 request: 1 issued.')).toBeVisible({ timeout: 30_000 });
  await expect(approvals).toHaveCount(0);
  await expect(page.getByTestId('cert-fingerprint')).toHaveCount(2);
});
