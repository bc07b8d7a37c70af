import type { FixtureInput } from '../simulators/keytalk/index';
import { expect, test } from './fixtures';
import { startSimHost, type SimHost } from './sim-host';
import { requestCertificate, signIn } from './ui-steps';

// Issue 19: a reload mid-enrollment leaves nothing stuck, and repeat enrollments leave one current certificate.
let kt: SimHost;

test.describe.configure({ mode: 'serial' });

const fixture: FixtureInput = {
  providers: [
    {
      name: 'Acme',
      services: [{ name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} }],
      users: [{ id: 'alice', password: 's3cret' }],
    },
  ],
};

test.beforeAll(async () => {
  kt = await startSimHost('lifecycle', fixture);
});
test.afterAll(async () => {
  await kt?.stop();
});

async function startEnroll(page: import('@playwright/test').Page, rccd?: string) {
  await page.goto(kt.host.url.replace('#', '#page=enroll&'));
  await requestCertificate(page, { service: 'PASSWD', rccd });
}

test('a reload mid-enrollment ends the flow: no "Needs attention" left behind', async ({ page }) => {
  await startEnroll(page, kt.sim.rccds.Acme!);
  await expect(page.getByLabel('User name')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('agent-status')).toContainText('Needs attention');
  await expect(page.getByTestId('attention-what')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('agent-home')).toBeVisible();
  await expect(page.getByTestId('agent-status')).not.toContainText('Needs attention', { timeout: 15_000 });
  await expect(page.getByTestId('attention-what')).toHaveCount(0);
});

test('a tab opened while a sign-in waits shows it ("Show it"), and cancelling there ends it everywhere', async ({
  page,
  context,
}) => {
  await startEnroll(page);
  await expect(page.getByLabel('User name')).toBeVisible({ timeout: 30_000 });
  const second = await context.newPage();
  await second.goto(kt.host.url.replace('#', '#page=certificates&'));
  await second.getByTestId('attention-what').getByRole('button').click();
  await expect(second.getByRole('heading', { level: 3, name: 'Sign in to Acme — PASSWD' })).toBeVisible();
  await second.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('agent-status')).not.toContainText('Needs attention', { timeout: 15_000 });
  await expect(second.getByTestId('attention-what')).toHaveCount(0);
  await second.close();
});

test('three enrollments for one service: one current card, two under "Previous certificates"', async ({ page }) => {
  for (let i = 0; i < 3; i++) {
    await startEnroll(page);
    await signIn(page, { user: 'alice', password: 's3cret' });
    await expect(page.getByText(/^Certificate issued: /)).toBeVisible({ timeout: 60_000 });
  }
  await page.getByTestId('nav-certificates').click();
  // alice's certificate and nothing else: the chain CAs the NSS store holds beside it are not cards.
  await expect(page.getByRole('listitem').filter({ hasText: 'Renew now' })).toHaveCount(1);
  const previous = page.getByTestId('previous-certs');
  await expect(previous.getByText('Previous certificates (2)')).toBeVisible();
  await previous.getByText('Previous certificates (2)').click();
  await expect(previous.getByTestId('previous-cert')).toHaveCount(2);
});
