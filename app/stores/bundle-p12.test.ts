import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePkcs12 } from '../crypto/p12-read';
import { bundleToPkcs12, writeImportP12 } from './bundle-p12';
import { certFactsFromPem } from './cert-summary';
import { TestPki } from '../../test-support/stores/test-pki';

const pki = new TestPki('Bundle P12');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bundle-p12-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bundleToPkcs12 / writeImportP12', () => {
  it('packs certificate, key and chain under the label, or the leaf alone under another name', async () => {
    const b = pki.bundle('Alice', 'Alice label');
    const full = parsePkcs12(await bundleToPkcs12(b, { password: 'pw' }), 'pw');
    const norm = (pems: string[]) => pems.map((p) => certFactsFromPem(p).sha256Fingerprint);
    expect(full.friendlyName).toBe('Alice label');
    expect(norm([full.certPem, ...full.chainPem])).toEqual(norm([b.certPem, ...b.chainPem]));
    expect(full.keyPem).toContain('PRIVATE KEY');

    const { file, password } = await writeImportP12(tmp, b, { withChain: false, friendlyName: 'Nick', legacy: true });
    expect(path.dirname(file)).toBe(tmp);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(password.length).toBeGreaterThanOrEqual(20);
    const leafOnly = parsePkcs12(readFileSync(file), password);
    expect(leafOnly).toMatchObject({ friendlyName: 'Nick', chainPem: [] });
    expect(norm([leafOnly.certPem])).toEqual(norm([b.certPem]));
  });

  it('refuses a bundle without a private key', async () => {
    const { keyPem: _k, ...noKey } = pki.bundle('Bob');
    await expect(bundleToPkcs12(noKey, { password: 'pw' })).rejects.toThrow(/needs the private key/);
  });
});
