import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readScannerState, scannerStateFile } from './state';

// A last scan's coded error (errorText, issue 19) is optional in scanner.json: files written before it stay valid,
// and one that does not fit is dropped (the English error shown) without costing the scan history.
describe('scanner.json last scans', () => {
  const scan = { at: '2026-11-01T10:00:00Z', target: 'Acme/ALL', status: 'failed', error: 'connect ECONNREFUSED' };

  it('reads an older scan without errorText, keeps one that fits and drops one that does not', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kt-scan-state-'));
    mkdirSync(path.join(home, 'state'));
    const errorText = { code: 'network.refused', params: { host: 'kt:443' }, message: 'connect ECONNREFUSED' };
    const lastScans = [scan, { ...scan, errorText }, { ...scan, errorText: { code: 7 } }];
    writeFileSync(scannerStateFile(home), JSON.stringify({ version: 1, lastScans }));
    const read = (await readScannerState(home)).lastScans;
    expect(read).toHaveLength(3);
    expect(read[0]).toEqual(scan);
    expect(read[1]!.errorText).toEqual(errorText);
    expect(read[2]).toEqual(scan);
  });

  it("keeps a scanned source's place that fits, drops one that does not, and reads sources from before places", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kt-scan-state-'));
    mkdirSync(path.join(home, 'state'));
    const old = { source: 'agent file store', storeType: 'personal', certificates: 1 };
    const placed = { source: 'NSS database /n', place: { kind: 'nss', where: '/n' }, storeType: 'personal', certificates: 2 };
    const bad = { ...placed, place: { kind: 'floppy', where: 3 } };
    writeFileSync(scannerStateFile(home), JSON.stringify({ version: 1, lastScans: [{ ...scan, scanned: [old, placed, bad] }] }));
    const { scanned } = (await readScannerState(home)).lastScans[0]!;
    expect(scanned).toEqual([old, placed, { ...placed, place: undefined }]);
  });
});
