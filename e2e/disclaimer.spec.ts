import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KeytalkSimulator } from '../simulators/keytalk/index';
import { expect, expectNoSeriousA11yViolations, keepScreenshot, test } from './fixtures';
import type { RunningHost } from './host-process';
import { startSimHost, type SimHost } from './sim-host';
import { enrollThroughUi } from './ui-steps';

// An S/MIME service whose server sets an email disclaimer: after enrollment the core's scheduler fetches it
// (Public API), writes it into the user's Thunderbird profile (a throw-away HOME here, never the real one) and
// the Messages page shows it as text. The jitter of new periodic jobs is shortened so this takes seconds.
// Then the administrator changes the disclaimer on the server and the user presses "Check disclaimers now": the
// scheduler's own check runs at once, rewrites the signature (the user's own text kept) and the page shows it.
let kt: SimHost;
let sim: KeytalkSimulator;
let host: RunningHost;
let profileDir: string;
const disclaimerText = 'This e-mail is confidential. <b>Not HTML</b>';
const updatedText = 'Mailco Ltd, registered in Testland. This message is private.';

test.beforeAll(async () => {
  kt = await startSimHost(
    'disclaimer',
    {
      providers: [
        {
          name: 'Mailco',
          services: [
            {
              name: 'SMIME',
              credentials: ['USERID', 'PASSWD'],
              cert: { setDisclaimer: true, disclaimer: { name: 'Mailco legal', text: disclaimerText } },
            },
          ],
          users: [{ id: 'carol@mailco.test', password: 's3cret', email: 'carol@mailco.test' }],
        },
      ],
    },
    (dir) => {
      const userHome = path.join(dir, 'user');
      profileDir = path.join(userHome, '.thunderbird', 'abc.default');
      mkdirSync(profileDir, { recursive: true });
      // One identity for the certificate's address, with the user's own signature (kept beside the disclaimer).
      writeFileSync(
        path.join(profileDir, 'prefs.js'),
        'user_pref("mail.identity.id1.useremail", "carol@mailco.test");\nuser_pref("mail.identity.id1.htmlSigText", "Carol");\n',
      );
      writeFileSync(
        path.join(userHome, '.thunderbird', 'profiles.ini'),
        '[Profile0]\nName=default\nIsRelative=1\nPath=abc.default\nDefault=1\n',
      );
      return { args: ['--scheduler-jitter-ms', '500'], env: { HOME: userHome } };
    },
  );
  ({ sim, host } = kt);
});

test.afterAll(async () => kt?.stop());

test('email disclaimer set by the server is applied and shown as text', async ({ page }) => {
  await page.goto(host.url);
  await enrollThroughUi(page, { rccd: sim.rccds.Mailco!, service: 'SMIME', user: 'carol@mailco.test', password: 's3cret' });

  await page.getByTestId('nav-messages').click();
  const card = page.getByTestId('disclaimer');
  await expect(card).toContainText('Mailco legal', { timeout: 30_000 });
  await expect(card).toContainText('carol@mailco.test (Mailco)');
  // The server's text, tags and all, is shown as text: no <b> element comes from it.
  await expect(card).toContainText(disclaimerText);
  await expect(card.locator('b')).toHaveCount(0);
  await expect(card).toContainText('Thunderbird default');
  const userJs = readFileSync(path.join(profileDir, 'user.js'), 'utf8');
  expect(userJs).toContain('This e-mail is confidential.');
  expect(userJs).toContain('Carol');
  await expectNoSeriousA11yViolations(page);
  await keepScreenshot(page, 'messages-disclaimer');

  // The administrator changes the disclaimer; the check interval is minutes, so the user asks for a check now.
  const lastChecked = card.locator('time');
  const checkedBefore = await lastChecked.getAttribute('datetime');
  const put = await fetch(`${sim.control}/services/SMIME/disclaimer`, {
    method: 'PUT',
    body: JSON.stringify({ name: 'Mailco legal 2027', text: updatedText }),
  });
  expect(put.status).toBe(200);
  await page.getByRole('button', { name: 'Check disclaimers now' }).click();
  await expect(card).toContainText('Mailco legal 2027');
  await expect(card).toContainText(updatedText);
  await expect(card).not.toContainText('This e-mail is confidential.');
  await expect(page.getByTestId('notice')).toHaveText('The email disclaimer Mailco legal 2027 was updated');
  await expect(page.getByRole('button', { name: 'Check disclaimers now' })).toBeEnabled();
  const checkedAfter = await lastChecked.getAttribute('datetime');
  expect(Date.parse(checkedAfter!)).toBeGreaterThan(Date.parse(checkedBefore!));
  const rewritten = readFileSync(path.join(profileDir, 'user.js'), 'utf8');
  expect(rewritten).toContain('registered in Testland');
  expect(rewritten).not.toContain('This e-mail is confidential.');
  expect(rewritten).toContain('Carol');
  await keepScreenshot(page, 'messages-disclaimer-updated');
});
