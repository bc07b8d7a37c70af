import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test-support/oidc/browser-sign-in';

// Debian's Chromium (apt-get install chromium), never a downloaded browser: `npx playwright install` is not
// used anywhere. Each worker starts its own browser host (npm run build first) on a temporary home (e2e/fixtures.ts).
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  fullyParallel: false,
  // Two workers on CI's 2 cores: the specs wait on simulators, hosts and real timers much of the time, so the whole
  // run took 185-214 s instead of 298 s here. Each worker has its own shared host (e2e/fixtures.ts); a spec file still
  // runs in one worker, in order.
  workers: 2,
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
