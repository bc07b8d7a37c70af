import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeScrapingSettings, readScannerSettings, scannerSettingsFile } from './settings';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'kt-scan-settings-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('normalizeScrapingSettings', () => {
  it('keeps known purposes and store types once, case-insensitively, and names the unknown ones', () => {
    const s = normalizeScrapingSettings({
      schedule: 'one-shot',
      'cert-purposes': ['smime', 'Client-Auth', 'smime', 'code-signing'],
      'cert-store-types': ['system', 'cloud'],
    });
    expect(s).toEqual({
      schedule: 'one-shot',
      purposes: ['smime', 'client-auth'],
      storeTypes: ['system'],
      ignored: ['cert-purpose "code-signing"', 'cert-store-type "cloud"'],
    });
  });
});

describe('readScannerSettings', () => {
  it('defaults: no folders, no expired, no private keys', async () => {
    expect(await readScannerSettings(path.join(tmp, 'none'))).toMatchObject({
      folders: [],
      includeExpired: false,
      sendPrivateKeys: false,
      maxBatchCerts: 100,
    });
  });
  it('names the bad field and the fix', async () => {
    const home = path.join(tmp, 'bad');
    mkdirSync(path.join(home, 'state'), { recursive: true });
    writeFileSync(scannerSettingsFile(home), JSON.stringify({ sendPrivateKeys: 'yes' }));
    await expect(readScannerSettings(home)).rejects.toThrow(/scanner-settings\.json: sendPrivateKeys: .*fix or delete the file/);
    writeFileSync(scannerSettingsFile(home), JSON.stringify({ folder: ['/x'] }));
    await expect(readScannerSettings(home)).rejects.toThrow(/Unrecognized key/);
  });
});
