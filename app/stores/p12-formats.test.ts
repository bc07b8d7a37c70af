/**
 * PKCS#12 files in every format the agent meets (KeyTalk's legacy RC2-40/3DES, 3DES-only, OpenSSL 3's
 * AES-256/PBKDF2, NSS pk12util exports), made with the real tools, read with app/crypto/p12-read, and stored
 * in the file store and a real NSS database; and the stores' own PKCS#12 output read back the same way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nssExportPkcs12, opensslPkcs12 } from '../../test-support/crypto/fixture-certs';
import { parsePkcs12 } from '../crypto/p12-read';
import { buildPkcs12 } from '../crypto/p12-write';
import { processRunner } from '../system/command-runner';
import { certFactsFromPem } from './cert-summary';
import { FileStore } from './file-store';
import { NssStore } from './nss-store';
import { TestPki } from '../../test-support/stores/test-pki';

const pki = new TestPki('P12 Formats');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'p12fmt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const password = 'KeyTalk-p12';
const b = pki.bundle('Zoë P12 日本');
const leafFp = certFactsFromPem(b.certPem).sha256Fingerprint;
const opensslP12 = (extra: string[]) =>
  opensslPkcs12({ certPem: b.certPem, keyPem: b.keyPem!, chainPem: b.chainPem, friendlyName: 'Zoë P12', password }, extra);

/** What NSS exports (pk12util, AES-256, SHA-256 MAC) after importing the stores' own P12. */
const nssExportP12 = () =>
  nssExportPkcs12(
    buildPkcs12({ certPem: b.certPem, keyPem: b.keyPem!, chainPem: b.chainPem, password, friendlyName: 'NSS export' }),
    { password, nickname: 'NSS export' },
  );

const formats: [string, () => Buffer][] = [
  ['legacy RC2-40 + 3DES (KeyTalk, openssl -legacy)', () => opensslP12(['-legacy'])],
  [
    '3DES for keys and certificates',
    () => opensslP12(['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']),
  ],
  ['AES-256/PBKDF2 (OpenSSL 3 default)', () => opensslP12([])],
  ['NSS pk12util export (AES-256, SHA-256 MAC)', nssExportP12],
  ['the stores’ own modern output', () => buildPkcs12({ ...b, keyPem: b.keyPem!, password })],
  ['the stores’ own legacy output', () => buildPkcs12({ ...b, keyPem: b.keyPem!, password, legacy: true })],
];

describe('PKCS#12 formats through parsePkcs12 into the stores', () => {
  const nss = new NssStore({
    id: 'nss',
    name: 'nss',
    dbDir: path.join(tmp, 'nssdb'),
    usedBy: [],
    runner: processRunner,
    create: true,
  });
  for (const [name, make] of formats) {
    it(`${name}: read, then stored in the file store and NSS with key and chain`, async () => {
      const contents = parsePkcs12(make(), password);
      expect(certFactsFromPem(contents.certPem).sha256Fingerprint).toBe(leafFp);
      expect(contents.chainPem.map((p) => certFactsFromPem(p).sha256Fingerprint)).toEqual(
        b.chainPem.map((p) => certFactsFromPem(p).sha256Fingerprint),
      );
      const bundle = {
        certPem: contents.certPem,
        keyPem: contents.keyPem,
        chainPem: contents.chainPem,
        label: contents.friendlyName ?? 'x',
        origin: { provider: 'P', service: 'S' },
      };
      const file = new FileStore(path.join(tmp, `files-${formats.findIndex((f) => f[0] === name)}`));
      expect(await file.add(bundle)).toMatchObject({ sha256Fingerprint: leafFp, hasPrivateKey: true });
      expect(await nss.add(bundle)).toMatchObject({
        sha256Fingerprint: leafFp,
        hasPrivateKey: true,
        ref: 'KeyTalk P S Zoë P12 日本',
      });
      await nss.remove(leafFp); // so the next format is a real import, not a duplicate no-op
      expect(await nss.find({ sha256Fingerprint: leafFp })).toEqual([]);
    });
  }
});
