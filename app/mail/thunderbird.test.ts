import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMozillaProfiles } from '../stores/mozilla-profiles';
import { NssStore } from '../stores/nss-store';
import { TestPki } from '../../test-support/stores/test-pki';
import { processRunner } from '../system/command-runner';
import { parseDisclaimerZip } from './disclaimer-zip';
import { nssDbKey } from './nss-dbkey';
import { detectProfileLock } from './profile-lock';
import { parsePrefs } from './prefs';
import { HTML_BEGIN, TEXT_MARK } from './signature-merge';
import { applyThunderbirdAddressBooks, applyThunderbirdDisclaimer, applyThunderbirdSmime, ldapDirectoryUri } from './thunderbird';

const pki = new TestPki('Mail Test');
let home: string;
let profile: string;
const deps = { runner: processRunner };

async function makeProfile(): Promise<string> {
  const root = path.join(home, '.thunderbird');
  const dir = path.join(root, 'x1y2.default-release');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(
    path.join(root, 'profiles.ini'),
    '[Profile0]\nName=default-release\nIsRelative=1\nPath=x1y2.default-release\nDefault=1\n\n[General]\nStartWithLastProfile=1\n',
  );
  await fs.writeFile(path.join(dir, 'sig-bob.txt'), 'Bob\n-- \nSales');
  await fs.writeFile(
    path.join(dir, 'prefs.js'),
    [
      '// Mozilla User Preferences',
      'user_pref("mail.identity.id1.fullName", "Alice");',
      'user_pref("mail.identity.id1.useremail", "Alice@Example.com");',
      'user_pref("mail.identity.id1.htmlSigFormat", true);',
      'user_pref("mail.identity.id1.htmlSigText", "<b>Alice</b><br>ACME \\"Sales\\"");',
      'user_pref("mail.identity.id2.useremail", "bob@example.com");',
      'user_pref("mail.identity.id2.attach_signature", true);',
      'user_pref("mail.identity.id2.sig_file-rel", "[ProfD]sig-bob.txt");',
      'user_pref("mail.identity.id3.useremail", "alice@example.com");',
      'user_pref("mail.identity.id3.htmlSigText", "Alice <private>\\nsecond line");',
      '',
    ].join('\n'),
  );
  await fs.writeFile(path.join(dir, 'user.js'), 'user_pref("mail.openpgp.enable", false); // the user\'s own line\n');
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  return dir;
}

const userJs = async () => fs.readFile(path.join(profile, 'user.js'), 'utf8');

beforeAll(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-mail-'));
  profile = await makeProfile();
});
afterAll(() => fs.rm(home, { recursive: true, force: true }));

describe('Thunderbird profile', () => {
  it('is found from profiles.ini and has an NSS database', () => {
    const found = findMozillaProfiles({ userHome: home, platform: 'linux', apps: ['thunderbird'] });
    expect(found.map((p) => [p.dir, p.hasSqlDb])).toEqual([[profile, true]]);
  });

  it('S/MIME settings: the certificate in the NSS DB becomes signing + encryption cert of identities with its e-mail', async () => {
    const nss = new NssStore({ id: 'tb', name: 'Thunderbird', dbDir: profile, usedBy: ['Thunderbird'], runner: processRunner });
    const bundle = pki.bundle('Alice', 'Alice S/MIME', { E: 'alice@example.com' });
    const stored = await nss.add(bundle);
    const r = await applyThunderbirdSmime(profile, { certPem: bundle.certPem, nickname: stored.ref }, deps);
    expect(r.identities).toEqual(['id1', 'id3']);
    const prefs = parsePrefs(await userJs());
    expect(prefs.get('mail.identity.id1.signing_cert_name')).toBe(stored.ref);
    expect(prefs.get('mail.identity.id3.encryption_cert_name')).toBe(stored.ref);
    expect(prefs.get('mail.identity.id1.sign_mail')).toBe(true);
    expect(prefs.has('mail.identity.id2.signing_cert_name')).toBe(false);
    // the dbkey names the issuer + serial of the certificate that certutil holds under that nickname
    const dbkey = Buffer.from(String(prefs.get('mail.identity.id1.signing_cert_dbkey')), 'base64');
    const exported = execFileSync('certutil', ['-L', '-d', `sql:${profile}`, '-n', stored.ref, '-a']).toString();
    expect(nssDbKey(exported)).toBe(dbkey.toString('base64'));
    expect(dbkey.readUInt32BE(0)).toBe(0);

    // re-run replaces our block; the user's own line stays; prefs.js untouched
    const before = await fs.readFile(path.join(profile, 'prefs.js'), 'utf8');
    await applyThunderbirdSmime(profile, { certPem: bundle.certPem, nickname: stored.ref }, deps);
    const text = await userJs();
    expect(text.match(/signing_cert_name/g)).toHaveLength(2);
    expect(text.startsWith('user_pref("mail.openpgp.enable", false);')).toBe(true);
    expect(await fs.readFile(path.join(profile, 'prefs.js'), 'utf8')).toBe(before);
  });

  it('refuses a historical certificate as signing identity', async () => {
    const b = pki.bundle('Alice old', 'old', { E: 'alice@example.com' });
    await expect(applyThunderbirdSmime(profile, { certPem: b.certPem, nickname: 'old', historical: true }, deps)).rejects.toThrow(
      /historical/,
    );
  });

  it('address books: ldap_2.servers prefs and the verification CA trusted in cert9.db', async () => {
    const r = await applyThunderbirdAddressBooks(
      profile,
      [
        { url: 'ldaps://ldap.example.com', searchBase: 'ou=people,dc=example,dc=com', verificationCa: pki.root.pem },
        { url: 'ldap://dir.example.com:1389' },
      ],
      deps,
    );
    expect(r.notes.join()).toMatch(/trusted/);
    const prefs = parsePrefs(await userJs());
    expect(prefs.get('ldap_2.servers.keytalk_ldap_example_com.uri')).toBe(
      'ldaps://ldap.example.com:636/ou=people,dc=example,dc=com??sub?(objectclass=*)',
    );
    expect(prefs.get('ldap_2.servers.keytalk_dir_example_com_1389.uri')).toBe(
      'ldap://dir.example.com:1389/??sub?(objectclass=*)',
    );
    expect(prefs.get('ldap_2.autoComplete.directoryServer')).toBe('ldap_2.servers.keytalk_ldap_example_com');
    const list = execFileSync('certutil', ['-L', '-d', `sql:${profile}`]).toString();
    // the root was already there (chain of the S/MIME cert, trust ",,"): certutil keeps its nickname and sets C,,
    expect(list).toMatch(/Mail Test Root CA.*\s+C,,\s*$/m);
    expect(() => ldapDirectoryUri({ url: 'http://x' })).toThrow(/ldap:\/\//);
  });

  it('disclaimer: added to inline and file signatures, replaced (not duplicated) on the next run, removed when withdrawn', async () => {
    const zipOf = async (html: string, text: string) => {
      const z = new JSZip();
      z.file(
        'signature.htm',
        `<html><body><p>${html}<img src="signature_files/logo.png"></p><script>alert(1)</script></body></html>`,
      );
      z.file('signature.txt', text);
      z.file('signature_files/logo.png', Buffer.from('89504e470d0a1a0a0000', 'hex'));
      return parseDisclaimerZip(await z.generateAsync({ type: 'nodebuffer' }));
    };
    await applyThunderbirdDisclaimer(profile, 'alice@example.com', await zipOf('Confidential v1', 'Confidential v1'), deps);
    await applyThunderbirdDisclaimer(profile, 'bob@example.com', await zipOf('Confidential v1', 'Confidential v1'), deps);
    // Thunderbird would have copied user.js into prefs.js at its start: simulate that for id1
    const prefs1 = parsePrefs(await userJs());
    const sig1 = String(prefs1.get('mail.identity.id1.htmlSigText'));
    expect(sig1).toContain('<b>Alice</b><br>ACME "Sales"');
    expect(sig1).toContain('Confidential v1');
    expect(sig1).not.toContain('script');
    expect(sig1).toContain('<img src="data:image/png;base64,iVBORw0KGgoAAA==">');
    expect(String(prefs1.get('mail.identity.id3.htmlSigText'))).toContain('Alice &lt;private&gt;<br>second line');
    expect(prefs1.get('mail.identity.id3.htmlSigFormat')).toBe(true);
    const prefsJs = path.join(profile, 'prefs.js');
    await fs.appendFile(prefsJs, `user_pref("mail.identity.id1.htmlSigText", ${JSON.stringify(sig1)});\n`);

    await applyThunderbirdDisclaimer(profile, 'alice@example.com', await zipOf('Confidential v2', 'Confidential v2'), deps);
    await applyThunderbirdDisclaimer(profile, 'bob@example.com', await zipOf('Confidential v2', 'Confidential v2'), deps);
    const sig2 = String(parsePrefs(await userJs()).get('mail.identity.id1.htmlSigText'));
    expect(sig2).toContain('<b>Alice</b><br>ACME "Sales"');
    expect(sig2).toContain('Confidential v2');
    expect(sig2).not.toContain('Confidential v1');
    expect(sig2.split(HTML_BEGIN)).toHaveLength(2);
    const bob = await fs.readFile(path.join(profile, 'sig-bob.txt'), 'utf8');
    expect(bob).toBe(`Bob\n-- \nSales\n\n${TEXT_MARK}\nConfidential v2\n${TEXT_MARK}\n`);

    await applyThunderbirdDisclaimer(profile, 'bob@example.com', undefined, deps);
    expect(await fs.readFile(path.join(profile, 'sig-bob.txt'), 'utf8')).toBe('Bob\n-- \nSales\n');
    await applyThunderbirdDisclaimer(profile, 'alice@example.com', undefined, deps);
    expect(String(parsePrefs(await userJs()).get('mail.identity.id1.htmlSigText'))).toBe('<b>Alice</b><br>ACME "Sales"');
  });

  it('lock: a live lock symlink means in use (effect at next start); a stale one does not', async () => {
    const lock = path.join(profile, 'lock');
    await fs.symlink(`127.0.0.1:+${process.pid}`, lock);
    expect((await detectProfileLock(profile, { platform: 'linux' })).inUse).toBe(true);
    const r = await applyThunderbirdAddressBooks(profile, [], deps);
    expect(r.takesEffect).toBe('next-start');
    await fs.rm(lock);
    await fs.symlink('127.0.0.1:+999999', lock);
    expect(await detectProfileLock(profile, { platform: 'linux', isAlive: () => false })).toMatchObject({ inUse: false });
    await fs.rm(lock);
    await fs.writeFile(path.join(profile, 'parent.lock'), '');
    expect((await detectProfileLock(profile, { platform: 'win32' })).inUse).toBe(true);
  });
});
