import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, expectNoSeriousA11yViolations, keepScreenshot, test } from './fixtures';
import { startSimHost, type SimHost } from './sim-host';
import { enrollThroughUi } from './ui-steps';

// A self-service S/MIME user enrolls, opens the Invite page, which asks the server (Public API) first, and
// invites an external recipient; the core posts to the simulator's Self-Service API over mutual TLS with the
// user's new certificate, and the simulator's outbox holds the recipient's download link.
let kt: SimHost;

test.beforeAll(async () => {
  kt = await startSimHost(
    'ssapi',
    {
      providers: [
        {
          name: 'Mailco',
          services: [
            {
              name: 'SMIME',
              credentials: ['USERID', 'PASSWD'],
              cert: { smimeEnrollment: { available: true, mobileRequired: false } },
            },
          ],
          users: [{ id: 'carol@mailco.test', password: 's3cret', email: 'carol@mailco.test', selfService: true }],
        },
      ],
    },
    // The Self-Service API is the simulator's, not port 3000; the after-enrollment mail work looks for
    // Thunderbird in a throw-away HOME, never the real one.
    (dir, sim) => {
      const userHome = path.join(dir, 'user');
      mkdirSync(userHome, { recursive: true });
      return { args: ['--ssapi-url', sim.ssapiUrl], env: { HOME: userHome } };
    },
  );
});

test.afterAll(async () => kt?.stop());

test('a self-service user invites an external recipient; the simulator receives the invitation', async ({ page }) => {
  const { sim, host } = kt;
  await page.goto(host.url);
  await enrollThroughUi(page, { rccd: sim.rccds.Mailco!, service: 'SMIME', user: 'carol@mailco.test', password: 's3cret' });

  await page.getByTestId('nav-invite').click();
  await expect(page.getByTestId('smime-availability')).toContainText('You may invite recipients', { timeout: 30_000 });
  await page.getByLabel('E-mail address of recipient 1').fill('guest@partner');
  await page.getByRole('button', { name: 'Send invitations' }).click();
  await expect(page.getByTestId('recipient-problems')).toContainText('"guest@partner" is not an e-mail address.');
  await page.getByLabel('E-mail address of recipient 1').fill('guest@partner.test');
  await page.getByRole('button', { name: 'Add another recipient' }).click();
  await page.getByLabel('E-mail address of recipient 2').fill('buyer@partner.test');
  await page.getByLabel('Mobile number of recipient 2 (optional)').fill('+31 6 1234 5678');
  await page.getByRole('button', { name: 'Send invitations' }).click();

  const result = page.getByTestId('invite-result');
  await expect(result).toContainText('guest@partner.test: certificate issued; the download link was sent by e-mail.', {
    timeout: 30_000,
  });
  await expect(result).toContainText('buyer@partner.test: certificate issued');
  await expect(page.getByTestId('notice')).toHaveText('Invitations sent: 2 of 2 succeeded');

  const outbox = async (to: string) =>
    (await (await fetch(`${sim.control}/outbox?to=${encodeURIComponent(to)}`)).json()) as {
      kind: string;
      data: Record<string, string>;
    }[];
  expect((await outbox('guest@partner.test')).map((m) => m.kind)).toEqual(['smime-enrollment']);
  expect((await outbox('buyer@partner.test')).at(-1)!.data.link).toMatch(/^https:\/\//);
  expect((await outbox('+31612345678')).at(-1)!.data.password).toBeTruthy(); // the password went by SMS
  // Availability (Public API) was asked before the enrollment, which came in over the Self-Service API (mTLS).
  const log = readFileSync(sim.requestLog, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { api: string; path: string });
  expect(log.filter((l) => l.path.includes('smime-cert-enrollment')).map((l) => l.api)).toEqual(['public', 'public', 'ssapi']);

  await expectNoSeriousA11yViolations(page);
  await keepScreenshot(page, 'invite-result');
});
