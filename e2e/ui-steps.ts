import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** Who signs in on the sign-in form; `password` is left out for a service that asks only for the user name. */
export interface SignInSteps {
  user: string;
  password?: string;
  /** Tick "Remember on this computer" (what lets the scheduler renew without asking). */
  remember?: boolean;
}

/** What to enroll for on the Enroll page: `rccd` (a file) is imported first unless the provider is already in. */
export interface EnrollSteps extends SignInSteps {
  rccd?: string;
  service: string;
}

/**
 * Fill in and send the sign-in form the flow shows. Waits for the form first: the flow reaches it only after
 * the first round trip to the server.
 */
export async function signIn(page: Page, s: SignInSteps): Promise<void> {
  await expect(page.getByLabel('User name')).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('User name').fill(s.user);
  if (s.password !== undefined) await page.getByLabel('Password', { exact: true }).fill(s.password);
  if (s.remember) await page.getByLabel(/Remember on this computer/).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** On the Enroll page: import the .rccd file if given, choose the service and press "Request certificate". */
export async function requestCertificate(page: Page, s: Pick<EnrollSteps, 'rccd' | 'service'>): Promise<void> {
  if (s.rccd) await page.getByLabel('Choose an .rccd file').setInputFiles(s.rccd);
  await page.getByLabel('Service', { exact: true }).selectOption(s.service);
  await page.getByRole('button', { name: 'Request certificate' }).click();
}

/**
 * The whole first enrollment a user does on the Enroll page (already open): import the .rccd file, choose the
 * service, sign in, and wait until the certificate is issued.
 */
export async function enrollThroughUi(page: Page, s: EnrollSteps): Promise<void> {
  await requestCertificate(page, s);
  await signIn(page, s);
  await expect(page.getByText(/^Certificate issued: /)).toBeVisible({ timeout: 30_000 });
}
