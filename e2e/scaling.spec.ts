import path from 'node:path';
import { pages as appPages } from '../renderer/state/pages';
import { strings } from '../renderer/strings';
import type { KeytalkSimulator } from '../simulators/keytalk/index';
import { expect, keepScreenshot, test } from './fixtures';
import type { RunningHost } from './host-process';
import { clippingProblems } from './readable-at-125';
import { startSimHost, type SimHost } from './sim-host';
import { signIn } from './ui-steps';

// Readable at 125% scaling, with real content on every page (a certificate, a server message, a disclaimer).
// The main window is 980x700 (main/windows/window-manager.ts). At 125% browser zoom it lays out in 784x560 CSS
// pixels on a 1.25 device-pixel-ratio screen; with a 125% text-size setting it keeps 980x700 and every rem grows.
// Both must show everything without sideways scrolling or cut-off controls.
// Every page of the app, as the renderer lists them: a new page is checked without touching this file.
const pages = appPages.map((id) => ({ id, heading: strings.nav[id] }));

let kt: SimHost;
let sim: KeytalkSimulator;
let host: RunningHost;

test.use({ viewport: { width: 784, height: 560 }, deviceScaleFactor: 1.25 });

test.beforeAll(async () => {
  kt = await startSimHost(
    'scaling',
    {
      providers: [
        {
          name: 'Northwind Certificate Services',
          services: [
            {
              name: 'SMIME-Personal-Signing-And-Encryption',
              credentials: ['USERID', 'PASSWD'],
              cert: {
                setDisclaimer: true,
                disclaimer: {
                  name: 'Northwind legal disclaimer for external correspondence',
                  text: 'This message and any attachments are confidential and intended solely for the addressee. https://northwind.example/legal/email-disclaimer-and-privacy-statement-2026',
                },
              },
            },
          ],
          users: [
            {
              id: 'maximiliana.vandenberghe-oosterhuis@northwind.example',
              password: 's3cret',
              email: 'maximiliana.vandenberghe-oosterhuis@northwind.example',
              messages: [
                {
                  text: 'Scheduled maintenance of the certificate service on Saturday; renewals are queued and retried automatically. Details: https://status.northwind.example/incidents/2026-11-28-maintenance-window',
                  utc: '2026-11-20T08:00:00Z',
                },
              ],
            },
          ],
        },
      ],
    },
    (dir) => ({ args: ['--scheduler-jitter-ms', '500'], env: { HOME: path.join(dir, 'user') } }),
  );
  ({ sim, host } = kt);
});

test.afterAll(async () => kt?.stop());

test('every page at 125%: no sideways scrolling, no cut-off buttons or labels; screenshots kept', async ({ page }) => {
  await page.goto(host.url);
  await page.getByLabel('Choose an .rccd file').setInputFiles(sim.rccds['Northwind Certificate Services']!);
  await page.getByLabel('Service', { exact: true }).selectOption('SMIME-Personal-Signing-And-Encryption');
  expect(await clippingProblems(page)).toEqual([]);
  await page.getByRole('button', { name: 'Request certificate' }).click();
  await expect(page.getByLabel('User name')).toBeVisible({ timeout: 30_000 });
  // The sign-in form itself, with the server's prompt, at 125%.
  expect(await clippingProblems(page)).toEqual([]);
  await signIn(page, { user: 'maximiliana.vandenberghe-oosterhuis@northwind.example', password: 's3cret' });
  await expect(page.getByText(/^Certificate issued: /)).toBeVisible({ timeout: 30_000 });
  expect(await clippingProblems(page)).toEqual([]);
  await keepScreenshot(page, 'scaled-125-enroll-issued');
  await page.getByTestId('nav-messages').click();
  await expect(page.getByTestId('disclaimer')).toContainText('Northwind legal', { timeout: 30_000 });

  const zoomed: Record<string, string[]> = {};
  for (const p of pages) {
    await page.getByTestId(`nav-${p.id}`).click();
    await expect(page.getByRole('heading', { level: 2, name: p.heading })).toBeVisible();
    // Open what a user would open: the certificate's details (the long fingerprint).
    if (p.id === 'certificates') await page.getByText('Details').first().click();
    zoomed[p.id] = await clippingProblems(page);
    await keepScreenshot(page, `scaled-125-${p.id}`);
  }

  // The same pages with a 125% text-size setting: in the full-size window, together with the 125% zoom (the
  // worst case), and in a window narrowed to 560 px (the navigation then moves above the page).
  await page.evaluate("document.documentElement.style.fontSize = '125%'");
  const checkAll = async (viewport: { width: number; height: number }) => {
    await page.setViewportSize(viewport);
    const found: Record<string, string[]> = {};
    for (const p of pages) {
      await page.getByTestId(`nav-${p.id}`).click();
      await expect(page.getByRole('heading', { level: 2, name: p.heading })).toBeVisible();
      found[p.id] = await clippingProblems(page);
    }
    return found;
  };
  const textSize = await checkAll({ width: 980, height: 700 });
  const zoomAndTextSize = await checkAll({ width: 784, height: 560 });
  const narrow = await checkAll({ width: 560, height: 560 });
  await keepScreenshot(page, 'scaled-125-narrow-settings');
  const none = Object.fromEntries(pages.map((p) => [p.id, []]));
  expect(zoomed).toEqual(none);
  expect(textSize).toEqual(none);
  expect(zoomAndTextSize).toEqual(none);
  expect(narrow).toEqual(none);
});

test('the clipping check finds a page that scrolls sideways, a cut-off button and content pushed out', async ({ page }) => {
  // A page made to fail, so a green run above means the check looked (not that it cannot see anything).
  await page.setContent(`
    <div style="width: 300px">
      <button style="width: 40px; overflow: hidden; white-space: nowrap">Renew the certificate now</button>
      <p style="width: 2000px">wide</p>
    </div>`);
  const problems = await clippingProblems(page);
  expect(problems).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^the page scrolls sideways: 20\d\dpx of content in 784px$/),
      expect.stringMatching(/^button "Renew the certificate now" is cut off: /),
      expect.stringMatching(/^p "wide" sticks out of the window: /),
    ]),
  );
});
