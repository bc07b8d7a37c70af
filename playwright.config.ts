import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test-support/oidc/browser-sign-in';

// Debian's Chromium (apt-get install chromium), never a downloaded browser: `npx playwright install` is not
// used anywhere. The global setup starts the browser host (npm run build first) against a temporary home.
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Generous: CI machines here have 2 shared cores; these are not speed assertions.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    // The UI follows the browser's language (issue 19): English unless a spec asks for another.
    locale: 'en-US',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? CHROMIUM_PATH,
      // The same flags as the MFA sign-in tests' browser: off the network and quiet in CI.
      args: CHROMIUM_ARGS,
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
