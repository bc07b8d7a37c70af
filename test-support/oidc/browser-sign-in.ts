import type { Browser, BrowserContext, Page } from 'playwright';

/** Chromium as installed by Debian, with the flags that keep it off the network and quiet in CI. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export type BrowserBehaviour =
  /** Sign in with the user's password and allow the consent page. */
  | 'sign-in'
  /** Press Cancel on the login page (the IdP answers access_denied). */
  | 'cancel'
  /** Deny on the consent page. */
  | 'deny-consent'
  /** Open the page and leave it: the user wandered off or closed the tab. */
  | 'leave-open';

export interface BrowserDriver {
  /** Hand this to the code under test as its "system browser". */
  openBrowser: (url: string) => Promise<void>;
  /** Every URL the code asked the browser to open. */
  readonly opened: string[];
  /** The tab used for each openBrowser call, in order (one tab is reused while it stays open). */
  readonly pages: Page[];
  behaviour: BrowserBehaviour;
  close(): Promise<void>;
}

/**
 * Drives the test IdP's own login and consent pages in real Chromium, as a person would in the system browser.
 * Each sign-in starts without IdP session cookies unless `shareSession` is set.
 */
export function browserDriver(
  browser: Browser,
  user: { username: string; password: string },
  opts: { behaviour?: BrowserBehaviour; shareSession?: boolean; context?: BrowserContext } = {},
): BrowserDriver {
  const opened: string[] = [];
  const pages: Page[] = [];
  let context: BrowserContext | undefined = opts.context;
  let page: Page | undefined;

  // One context and one tab, reused: a new renderer process per sign-in costs seconds on a busy 2-core machine.
  // Without shareSession the IdP's cookies are cleared first, so each sign-in starts with no IdP session.
  const driver: BrowserDriver = {
    opened,
    pages,
    behaviour: opts.behaviour ?? 'sign-in',
    async openBrowser(url: string) {
      opened.push(url);
      context ??= await browser.newContext();
      if (!opts.shareSession) await context.clearCookies();
      if (!page || page.isClosed()) page = await context.newPage();
      const current = page;
      await current.goto(url);
      pages.push(current);
      if (driver.behaviour === 'leave-open') return;
      await drive(current, user, driver.behaviour);
    },
    async close() {
      // A context handed in belongs to the caller: close only this driver's tab then.
      if (opts.context) await page?.close().catch(() => undefined);
      else await context?.close().catch(() => undefined);
    },
  };
  return driver;
}

/** Click a submit button and wait until the browser has left the current document (so the next wait sees the next page). */
async function clickAndNavigate(page: Page, selector: string): Promise<void> {
  await Promise.all([
    page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 15_000 }),
    page.click(selector),
  ]);
}

const ANY_STEP = '#password, #allow, #logout-yes, #keytalk-signed-in, #keytalk-sign-in-failed, #oidc-error, #signed-out';

async function drive(page: Page, user: { username: string; password: string }, behaviour: BrowserBehaviour): Promise<void> {
  for (let step = 0; step < 6; step++) {
    await page.waitForSelector(ANY_STEP, { timeout: 15_000 });
    if (await page.locator('#password').count()) {
      if (behaviour === 'cancel') {
        await clickAndNavigate(page, '#cancel');
        continue;
      }
      await page.fill('#username', user.username);
      await page.fill('#password', user.password);
      await clickAndNavigate(page, '#sign-in');
      continue;
    }
    if (await page.locator('#allow').count()) {
      await clickAndNavigate(page, behaviour === 'deny-consent' ? '#deny' : '#allow');
      continue;
    }
    if (await page.locator('#logout-yes').count()) {
      await clickAndNavigate(page, '#logout-yes');
      await page.waitForURL((u) => !u.pathname.startsWith('/session/end'), { timeout: 15_000 });
      return;
    }
    if (await page.locator('#oidc-error').count()) {
      throw new Error(
        `the IdP showed an error page: ${await page.locator('#oidc-error').innerText()} ${await page.locator('#oidc-error-description').innerText()}`,
      );
    }
    return; // the agent's loopback page (signed in / not completed) or a sign-out page
  }
  throw new Error(`sign-in did not finish; last page ${page.url()}`);
}

/**
 * Opens an end-session URL in a fresh context and confirms the sign-out if the IdP asks (with no IdP session it
 * redirects at once); resolves with the URL the IdP finally sent the browser to.
 */
export async function confirmSignOut(browser: Browser, url: string): Promise<string> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    if (await page.locator('#logout-yes').count()) await clickAndNavigate(page, '#logout-yes');
    await page.waitForURL((u) => !u.pathname.startsWith('/session/end'), { timeout: 15_000 });
    return page.url();
  } finally {
    await context.close();
  }
}
