import path from 'node:path';
import { pages as appPages } from '../renderer/state/pages';
import type { Browser, Page } from '@playwright/test';
import { popupSizes, type PopupKind } from '../main/windows/popup-sizes';
import { languages, type Language } from '../app/model/languages';
import { resources } from '../renderer/i18n/i18n';
import { strings } from '../renderer/strings';
import type { FixtureInput, KeytalkSimulator } from '../simulators/keytalk/index';
import { expect, keepScreenshot, test } from './fixtures';
import type { RunningHost } from './host-process';
import { clippingProblems, windowProblemsAt125 } from './readable-at-125';
import { startSimHost, type SimHost } from './sim-host';
import { requestCertificate, signIn } from './ui-steps';

// Readable at 125% scaling, with real content on every page (a certificate, a server message, a disclaimer).
// The main window is 980x700 (main/windows/window-manager.ts). At 125% browser zoom it lays out in 784x560 CSS
// pixels on a 1.25 device-pixel-ratio screen; with a 125% text-size setting it keeps 980x700 and every rem grows.
// Both must show everything without sideways scrolling or cut-off controls.
// Every page of the app, as the renderer lists them: a new page is checked without touching this file.
const pagesIn = (lang: Language) => appPages.map((id) => ({ id, heading: resources[lang].translation.nav[id] }));

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

test('every page at 125%, in English, Dutch and German: no sideways scrolling, no cut-off buttons or labels', async ({
  page,
}) => {
  test.setTimeout(240_000);
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

  // Every page in each language (German's long words are the usual overflow): English as the OS gives it, then
  // Dutch and German chosen in Settings, each at 125% zoom, 125% text size, both, and a narrow window.
  const none = Object.fromEntries(appPages.map((id) => [id, []]));
  for (const lang of languages) {
    const texts = resources[lang].translation;
    const pages = pagesIn(lang);
    if (lang !== 'en') {
      await page.getByTestId('nav-settings').click();
      await page.locator('#language').selectOption(lang);
      await expect(page.getByRole('heading', { level: 2, name: texts.nav.settings })).toBeVisible();
    }
    await page.setViewportSize({ width: 784, height: 560 });
    await page.evaluate("document.documentElement.style.fontSize = ''");
    const zoomed: Record<string, string[]> = {};
    for (const p of pages) {
      await page.getByTestId(`nav-${p.id}`).click();
      await expect(page.getByRole('heading', { level: 2, name: p.heading })).toBeVisible();
      // Open what a user would open: the certificate's details (the long fingerprint).
      if (p.id === 'certificates') await page.getByText(texts.certificates.details).first().click();
      zoomed[p.id] = await clippingProblems(page);
      if (lang === 'en') await keepScreenshot(page, `scaled-125-${p.id}`);
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
    if (lang === 'en') await keepScreenshot(page, 'scaled-125-narrow-settings');
    expect({ lang, zoomed, textSize, zoomAndTextSize, narrow }).toEqual({
      lang,
      zoomed: none,
      textSize: none,
      zoomAndTextSize: none,
      narrow: none,
    });
  }
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

test('the popup check finds a button pushed below a fixed-size window', async ({ page }) => {
  // A notice made to fail: the button is reachable only by scrolling, which nothing in a small popup suggests.
  await page.setContent('<p style="height: 400px">A long renewal notice</p><button>Renew now</button>');
  const found = await windowProblemsAt125(page, { width: 420, height: 300 }, async () => {});
  expect(found.zoom).toEqual([expect.stringMatching(/^button "Renew now" is below the window: bottom edge \d+px > 240px$/)]);
  expect(found.textSize).toEqual([expect.stringMatching(/^button "Renew now" is below the window: bottom edge \d+px > 300px$/)]);
});

// The popup windows main opens (main/windows/popup-sizes.ts), each at its real size, with real content: the
// scheduler raises the unattended-renewal popup for a 30-second certificate (as in unattended-renewal.spec.ts),
// and the renewal's own sign-in (user name and password, then the one-time password) is what the login and MFA
// popups show. Every kind in popupSizes is checked, so a new kind cannot be added unchecked.
test.describe('popup windows at 125%', () => {
  const user = 'maximiliana.vandenberghe-oosterhuis@northwind.example';
  const popupFixture: FixtureInput = {
    server: {
      unattendedPopupMsgTemplate:
        'Your KeyTalk certificate for Northwind Certificate Services expires soon and could not be renewed automatically. Please sign in to renew it now.',
    },
    providers: [
      {
        name: 'Northwind Certificate Services',
        rccd: { certValidPercent: 80 },
        services: [
          {
            name: 'SMIME-Personal-Signing-And-Encryption',
            credentials: ['USERID', 'PASSWD', 'OTP'],
            cert: { lifetime: 30, certExpirationMargin: 24 },
          },
        ],
        users: [{ id: user, password: 's3cret', otp: '246810', email: user }],
      },
    ],
  };
  let popupHost: SimHost;
  test.beforeAll(async () => {
    popupHost = await startSimHost('popup-scaling', popupFixture);
  });
  test.afterAll(async () => {
    await popupHost?.stop();
  });

  // The core raises only the unattended-renewal popup today; a login, MFA or disclaimer window asks
  // `popup:current` for its own kind, so that reply is given here (the sign-in inside comes from the real core).
  const requests: Partial<Record<PopupKind, Record<string, string>>> = {
    login: {
      subject: `CN=${user}, O=Northwind Certificate Services`,
      message: 'Your certificate must be renewed. Sign in with your Northwind account to continue.',
    },
    mfa: {
      subject: `CN=${user}, O=Northwind Certificate Services`,
      message: 'Northwind requires a second sign-in step: enter the one-time password sent to your e-mail address.',
    },
    disclaimer: {
      subject: 'Northwind legal disclaimer for external correspondence',
      message:
        'This message and any attachments are confidential and intended solely for the addressee. https://northwind.example/legal/email-disclaimer-and-privacy-statement-2026',
    },
  };

  async function openPopup(
    browser: Browser,
    kind: PopupKind,
    { locale = 'en-US', data = requests[kind] }: { locale?: string; data?: Record<string, string> } = {},
  ): Promise<Page> {
    const context = await browser.newContext({ viewport: popupSizes[kind], deviceScaleFactor: 1.25, locale });
    const popup = await context.newPage();
    if (data) {
      await popup.routeWebSocket(/\/bridge/, (ws) => {
        const server = ws.connectToServer();
        const asked = new Set<number>();
        ws.onMessage((m) => {
          const req = JSON.parse(String(m)) as { id: number; channel: string };
          if (req.channel === 'popup:current') asked.add(req.id);
          server.send(m);
        });
        server.onMessage((m) => {
          const msg = JSON.parse(String(m)) as { type: string; id?: number };
          if (msg.type === 'result' && asked.has(msg.id!))
            ws.send(JSON.stringify({ ...msg, ok: true, value: { popup: { popup: kind, data } } }));
          else ws.send(m);
        });
      });
    }
    await popup.goto(popupHost.host.url.replace('#', `#popup=${kind}&`));
    return popup;
  }

  test('every popup kind at its window size: no sideways scrolling, no cut-off or hidden buttons; screenshots kept', async ({
    page,
    browser,
  }) => {
    test.setTimeout(180_000);
    await page.goto(popupHost.host.url);
    const rccd = popupHost.sim.rccds['Northwind Certificate Services']!;
    await requestCertificate(page, { rccd, service: 'SMIME-Personal-Signing-And-Encryption' });
    const enterOtp = async (p: Page) => {
      await p.getByLabel('One-time password', { exact: true }).fill('246810');
      await p.getByTestId('flow-panel').getByRole('button', { name: 'Continue' }).click();
    };
    await signIn(page, { user, password: 's3cret' });
    await expect(page.getByLabel('One-time password', { exact: true })).toBeVisible({ timeout: 30_000 });
    await enterOtp(page);
    await expect(page.getByText(/^Certificate issued: /)).toBeVisible({ timeout: 30_000 });

    const found: Record<string, Record<string, string[]>> = {};
    const check = async (kind: PopupKind, popup: Page, ready: () => Promise<void>) => {
      found[kind] = await windowProblemsAt125(popup, popupSizes[kind], ready);
      // What the window shows, not the whole page: its buttons are pinned to its bottom edge.
      await keepScreenshot(popup, `scaled-125-popup-${kind}`, { fullPage: false });
    };

    // Nothing remembered: the scheduler's silent renewal needs the user and the core raises the popup.
    const renewal = await openPopup(browser, 'unattended-renewal');
    const renewNow = renewal.getByRole('button', { name: strings.popup.renewNow });
    await expect(renewNow).toBeVisible({ timeout: 30_000 });
    await check('unattended-renewal', renewal, () => expect(renewNow).toBeVisible());

    const disclaimer = await openPopup(browser, 'disclaimer');
    await check('disclaimer', disclaimer, () => expect(disclaimer.getByTestId('popup')).toContainText('Northwind legal'));

    // Open before the renewal starts: popup windows follow the core's flow events like the main window.
    const login = await openPopup(browser, 'login');
    const mfa = await openPopup(browser, 'mfa');
    await expect(login.getByTestId('popup')).toContainText(strings.popup.login);
    await expect(mfa.getByTestId('popup')).toContainText(strings.popup.mfa);
    await renewNow.click();
    await check('login', login, () => expect(login.getByLabel('User name')).toBeVisible({ timeout: 30_000 }));
    await signIn(login, { user, password: 's3cret' });
    const otp = mfa.getByLabel('One-time password', { exact: true });
    await check('mfa', mfa, () => expect(otp).toBeVisible({ timeout: 30_000 }));
    await enterOtp(mfa);
    await expect(page.getByText(/^Certificate issued: /)).toBeVisible({ timeout: 30_000 });

    expect(Object.keys(found).sort()).toEqual(Object.keys(popupSizes).sort());
    const none = { zoom: [], textSize: [], zoomAndTextSize: [] };
    expect(found).toEqual(Object.fromEntries(Object.keys(popupSizes).map((k) => [k, none])));
  });

  // The same windows in Dutch and German (the browser's language; Settings left on "System default"), each showing
  // the request it is opened for, as the core would send it. German's longer button and title texts must still fit.
  test('every popup kind at its window size in Dutch and German: the buttons fit', async ({ browser }) => {
    const renewal = {
      subject: `CN=${user}, O=Northwind Certificate Services`,
      sha256Fingerprint: 'AB'.repeat(32),
      message: popupFixture.server!.unattendedPopupMsgTemplate!,
    };
    const found: Record<string, Record<string, string[]>> = {};
    for (const [lang, locale] of [
      ['nl', 'nl-NL'],
      ['de', 'de-DE'],
    ] as const) {
      const texts = resources[lang].translation;
      for (const kind of Object.keys(popupSizes) as PopupKind[]) {
        const popup = await openPopup(browser, kind, { locale, data: requests[kind] ?? renewal });
        const banner = popup.getByTestId('popup');
        found[`${lang} ${kind}`] = await windowProblemsAt125(popup, popupSizes[kind], async () => {
          await expect(banner.getByRole('heading', { name: texts.popup[kind] })).toBeVisible();
          await expect(banner.getByRole('button').first()).toBeVisible();
        });
        await popup.context().close();
      }
    }
    const none = { zoom: [], textSize: [], zoomAndTextSize: [] };
    expect(found).toEqual(
      Object.fromEntries(['nl', 'de'].flatMap((l) => Object.keys(popupSizes).map((k) => [`${l} ${k}`, none]))),
    );
  });
});
