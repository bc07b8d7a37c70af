import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, describe, expect, it } from 'vitest';
import { TestPki } from '../../test-support/stores/test-pki';
import { buildPkcs12 } from './p12-write';

const pki = new TestPki('P12 Test');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'p12w-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const leaf = pki.bundle('Zoë Müller 日本', 'KeyTalk Zoë 日本');
const password = 'pä$$ wörd';

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('buildPkcs12', () => {
  for (const legacy of [false, true]) {
    const fmt = legacy ? 'legacy' : 'modern';
    it(`writes a ${fmt} P12 that OpenSSL opens with the right algorithms, key, chain and friendlyName`, () => {
      const der = buildPkcs12({
        certPem: leaf.certPem,
        keyPem: leaf.keyPem!,
        chainPem: leaf.chainPem,
        password,
        friendlyName: leaf.label,
        legacy,
      });
      const file = path.join(tmp, `${fmt}.p12`);
      writeFileSync(file, der);
      const info = execFileSync(
        'openssl',
        ['pkcs12', '-info', '-in', file, '-passin', `pass:${password}`, '-noout', ...(legacy ? ['-legacy'] : [])],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      // openssl -info prints the algorithm lines on stderr
      const infoErr = execFileSync(
        'sh',
        ['-c', `openssl pkcs12 -info -in "$1" -passin "pass:$2" -noout ${legacy ? '-legacy' : ''} 2>&1`, 'sh', file, password],
        {
          encoding: 'utf8',
        },
      );
      expect(info + infoErr).toContain(legacy ? 'MAC: sha1' : 'MAC: sha256');
      if (legacy) {
        expect(infoErr).toContain('pbeWithSHA1And40BitRC2-CBC');
        expect(infoErr).toContain('pbeWithSHA1And3-KeyTripleDES-CBC');
      } else {
        expect(infoErr).toMatch(/PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
        expect(infoErr).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
      }
      const out = openssl(['pkcs12', '-in', file, '-passin', `pass:${password}`, '-nodes', ...(legacy ? ['-legacy'] : [])]);
      const certs = out.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      expect(certs.map((c) => new X509Certificate(c).fingerprint256)).toEqual(
        [leaf.certPem, ...leaf.chainPem].map((c) => new X509Certificate(c).fingerprint256),
      );
      expect(out).toContain('-----BEGIN PRIVATE KEY-----');
      // OpenSSL prints BMPString attributes lossily for non-Latin-1 text; forge and pk12util (below) check the exact name.
      expect(out).toMatch(/friendlyName: KeyTalk Zo/);
      expect(out).toContain('localKeyID:');
    });

    it(`writes a ${fmt} P12 that forge reads back (what the agent's own reader uses)`, () => {
      // forge feeds PBES2 the password's UTF-16 code units as bytes, OpenSSL/NSS/Windows use UTF-8, so forge
      // can only open non-ASCII-password PBES2 files that OpenSSL could not; an ASCII password checks the rest.
      const ascii = 'plain-ASCII pw';
      const der = buildPkcs12({
        certPem: leaf.certPem,
        keyPem: leaf.keyPem!,
        chainPem: leaf.chainPem,
        password: ascii,
        friendlyName: leaf.label,
        legacy,
      });
      const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der.toString('binary')), ascii);
      const keyBags = p12.getBags({ bagType: '1.2.840.113549.1.12.10.1.2' })['1.2.840.113549.1.12.10.1.2'] ?? [];
      const certBags = p12.getBags({ bagType: '1.2.840.113549.1.12.10.1.3' })['1.2.840.113549.1.12.10.1.3'] ?? [];
      expect(keyBags).toHaveLength(1);
      expect(certBags).toHaveLength(3);
      expect(keyBags[0]?.attributes.friendlyName).toEqual(['KeyTalk Zoë 日本']);
    });
  }

  it('is rejected by OpenSSL with a wrong password (the MAC really covers the content)', () => {
    const file = path.join(tmp, 'wrong.p12');
    writeFileSync(file, buildPkcs12({ certPem: leaf.certPem, keyPem: leaf.keyPem!, chainPem: [], password: 'right' }));
    expect(() => openssl(['pkcs12', '-in', file, '-passin', 'pass:wrong', '-nodes'])).toThrow(
      /mac verify failure|invalid password/i,
    );
    expect(openssl(['pkcs12', '-in', file, '-passin', 'pass:right', '-nodes'])).toContain('BEGIN PRIVATE KEY');
  });

  it('imports into NSS with pk12util, the friendlyName becoming the nickname', () => {
    const db = path.join(tmp, 'nssdb');
    execFileSync('mkdir', ['-p', db]);
    execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
    for (const legacy of [false, true]) {
      const b = pki.bundle(`NSS ${legacy ? 'legacy' : 'modern'} é`);
      const file = path.join(tmp, `nss-${legacy}.p12`);
      writeFileSync(
        file,
        buildPkcs12({
          certPem: b.certPem,
          keyPem: b.keyPem!,
          chainPem: b.chainPem,
          password,
          friendlyName: `KT ${legacy} ü`,
          legacy,
        }),
      );
      const pw = path.join(tmp, 'pw');
      writeFileSync(pw, password, { mode: 0o600 });
      execFileSync('pk12util', ['-i', file, '-d', `sql:${db}`, '-w', pw, '-K', ''], { stdio: 'pipe' });
    }
    const list = execFileSync('certutil', ['-L', '-d', `sql:${db}`], { encoding: 'utf8' });
    expect(list).toContain('KT false ü');
    expect(list).toContain('KT true ü');
    const keys = execFileSync('certutil', ['-K', '-d', `sql:${db}`, '-f', '/dev/null'], { encoding: 'utf8' });
    // Both leaves share one test key, so NSS holds a single key object under the first nickname.
    expect(keys).toMatch(/KT (true|false) ü/);
  });

  it('refuses a key that does not match the certificate, and names the problem', () => {
    const other = new TestPki('Other');
    expect(() => buildPkcs12({ certPem: leaf.certPem, keyPem: other.rootKey.keyPem, chainPem: [], password: 'x' })).toThrow(
      /does not belong/,
    );
    expect(() => buildPkcs12({ certPem: 'nope', keyPem: leaf.keyPem!, chainPem: [], password: 'x' })).toThrow(
      /not a readable PEM certificate/,
    );
  });
});
