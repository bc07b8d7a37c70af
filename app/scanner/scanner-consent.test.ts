import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicyLockedError } from '../policy/apply-settings';
import { forgetPolicy } from '../policy/load-policy';
import { scannerOverview } from './overview';
import { runCertScraping, type ScrapingClient } from './scanner';
import { readScannerSettings, scannerSettingsFile } from './settings';
import { updateScannerSettings } from './settings-edit';

/**
 * Issue 20, policy `lockedScannerConsent`: the consent to scanning is the user's (on by default) until the policy
 * pins it; a pinned consent wins over the file, a change against it is refused naming the key, and with the consent
 * off no scan runs — the server is not even asked for its cert-scraping-settings.
 */
let root: string;
let home: string;
const saved = process.env.KEYTALK_AGENT_POLICY_DIR;

async function usePolicy(policy: object) {
  await writeFile(path.join(root, 'policy', 'policy.json'), JSON.stringify(policy));
  forgetPolicy();
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'kt-consent-'));
  home = path.join(root, 'home');
  await mkdir(path.join(root, 'policy'), { recursive: true });
  await mkdir(path.join(home, 'state'), { recursive: true });
  process.env.KEYTALK_AGENT_POLICY_DIR = path.join(root, 'policy');
  forgetPolicy();
});
afterEach(async () => {
  if (saved === undefined) delete process.env.KEYTALK_AGENT_POLICY_DIR;
  else process.env.KEYTALK_AGENT_POLICY_DIR = saved;
  forgetPolicy();
  await rm(root, { recursive: true, force: true });
});

describe('scanner consent under policy (issue 20)', () => {
  it("is the user's without a policy: on by default, switched off and on again", async () => {
    expect((await readScannerSettings(home)).scanningEnabled).toBe(true);
    expect((await updateScannerSettings(home, { scanningEnabled: false })).scanningEnabled).toBe(false);
    expect((await readScannerSettings(home)).scanningEnabled).toBe(false);
    expect((await scannerOverview(home)).locked).toEqual({});
  });

  it('lockedScannerConsent pins it over the file, refuses the other value by key, and shows the lock', async () => {
    await writeFile(scannerSettingsFile(home), JSON.stringify({ scanningEnabled: true }));
    await usePolicy({ lockedScannerConsent: false });
    expect((await readScannerSettings(home)).scanningEnabled).toBe(false);
    const err = await updateScannerSettings(home, { scanningEnabled: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyLockedError);
    expect((err as PolicyLockedError).policyKey).toBe('lockedScannerConsent');
    // The locked value itself, and other settings, still go through.
    expect(await updateScannerSettings(home, { scanningEnabled: false, includeExpired: true })).toMatchObject({
      scanningEnabled: false,
      includeExpired: true,
    });
    expect((await scannerOverview(home)).locked).toEqual({ scanningEnabled: 'lockedScannerConsent' });
  });

  it('with the consent off, a scan does not ask the server and reports disabled', async () => {
    await usePolicy({ lockedScannerConsent: false });
    const asked: string[] = [];
    const client: ScrapingClient = {
      version: '2.8.3',
      certScrapingSettings: async () => {
        asked.push('cert-scraping-settings');
        return {
          schedule: 'on-successful-authentication',
          'cert-purposes': ['client-auth'],
          'cert-store-types': ['personal'],
        } as never;
      },
      storeCerts: async () => {
        asked.push('store-certs');
        return {} as never;
      },
    };
    const report = await runCertScraping({
      client,
      home,
      target: 'P/S',
      trigger: 'authentication',
      sources: [],
      local: await readScannerSettings(home),
    });
    expect(report.status).toBe('disabled');
    expect(report.warnings.join()).toMatch(/switched off/);
    expect(asked).toEqual([]);
  });
});
