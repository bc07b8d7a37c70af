import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertPem } from '../../test-support/crypto/fixture-certs';
import { applySelfServiceAddressBooks } from '../smime/self-service-handlers';
import type { CommandSpec } from '../system/command-runner';
import { createMailIntegration } from './mail-integration';
import { OUTLOOK_LDAP_PRF, outlookLdapPrf } from './outlook-ldap';

/**
 * apply-address-books for Outlook (RCDP 2.7.2 cert reply, Public API 3.2.2 address-book-list, Self-Service 5.2.1):
 * an Outlook profile file with one "LDAP Directory" service per directory, named in Outlook\Setup ImportPRF.
 * Outlook cannot run here, so the registry commands are asserted exactly and the PRF is read back.
 */
let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-outlook-ldap-'));
});
afterAll(async () => fs.rm(tmp, { recursive: true, force: true }));

const SETUP = 'HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Setup';

function windowsMail(prfDir: string) {
  const calls: CommandSpec[] = [];
  const runner = {
    run: async (spec: CommandSpec) => {
      calls.push(spec);
      // reg delete of an absent value exits 1: Outlook simply never ran its first-run yet.
      return { code: spec.args[0] === 'delete' ? 1 : 0, stdout: '', stderr: '' };
    },
  };
  const mail = createMailIntegration({
    runner,
    userHome: path.join(tmp, 'home'),
    platform: 'win32',
    env: {},
    outlookPrfDir: prfDir,
  });
  return { mail, calls };
}

const expectedCommands = (prfFile: string) => [
  ['reg', 'add', SETUP, '/v', 'ImportPRF', '/t', 'REG_SZ', '/d', prfFile, '/f'],
  ['reg', 'delete', SETUP, '/v', 'First-Run', '/f'],
  ['reg', 'delete', SETUP, '/v', 'FirstRun', '/f'],
];

describe('Outlook LDAP address books', () => {
  it('the PRF names each directory with host, port, TLS and search base; values stay on one line', () => {
    const prf = outlookLdapPrf([
      { url: 'ldaps://ldap.keytalk.test', searchBase: 'ou=people,dc=keytalk,dc=test' },
      { url: 'ldap://dir.example.org:1389', searchBase: 'o=x\r\nServerName=evil' },
    ]);
    // Key and section names as Office's PRF template (outlook.prf, section 6) maps them; app/engine/README.md.
    expect(prf).toContain('[Service List]\r\nService1=LDAP Directory\r\nService2=LDAP Directory\r\n');
    expect(prf).toContain('[LDAP Directory]\r\nServiceName=EMABLT\r\nServerName=PT_STRING8,0x6600\r\n');
    expect(prf).toContain(
      '[Service1]\r\nServerName=ldap.keytalk.test\r\nConnectionPort=636\r\nUseSSL=TRUE\r\nDisplayName=KeyTalk ldap.keytalk.test\r\nSearchBase=ou=people,dc=keytalk,dc=test\r\n',
    );
    expect(prf).toContain('[Service2]\r\nServerName=dir.example.org\r\nConnectionPort=1389\r\nUseSSL=FALSE\r\n');
    expect(prf).toContain('SearchBase=o=x ServerName=evil\r\n');
    expect(prf).toContain(
      'ModifyDefaultProfileIfPresent=TRUE\r\nDefaultProfile=Yes\r\nOverwriteProfile=Append\r\nBackupProfile=False\r\n',
    );
    expect(() => outlookLdapPrf([{ url: 'https://not-ldap.test' }])).toThrow(/not ldap:\/\/ or ldaps:\/\//);
  });

  it('cert reply (apply-address-books + address-books): PRF written, ImportPRF set, first-run markers removed', async () => {
    const dir = path.join(tmp, 'cert-reply');
    const { mail, calls } = windowsMail(dir);
    const report = await mail
      .applyAfterEnrollment({
        bundle: {
          certPem: selfSignedCertPem('/CN=alice'),
          keyPem: '',
          chainPem: [],
          label: 'x',
          origin: { provider: 'P', service: 'S' },
        },
        applyAddressBooks: true,
        addressBooks: [{ ldap_svr_url: 'ldaps://ldap.keytalk.test', search_base: 'ou=people,dc=keytalk,dc=test' }],
      })
      .catch((err: Error) => ({ applied: [], failed: [err.message], notes: [] }));
    const prfFile = path.join(dir, OUTLOOK_LDAP_PRF);
    expect(calls.map((c) => [c.command, ...c.args])).toEqual(expectedCommands(prfFile));
    expect(report.applied).toContain('Outlook address books');
    expect(await fs.readFile(prfFile, 'utf8')).toContain('ServerName=ldap.keytalk.test');
  });

  it('the reply says apply-address-books: false — Outlook is not touched', async () => {
    const { mail, calls } = windowsMail(path.join(tmp, 'off'));
    await mail
      .applyAfterEnrollment({
        bundle: {
          certPem: selfSignedCertPem('/CN=alice'),
          keyPem: '',
          chainPem: [],
          label: 'x',
          origin: { provider: 'P', service: 'S' },
        },
        applyAddressBooks: false,
        addressBooks: [{ ldap_svr_url: 'ldaps://ldap.keytalk.test' }],
      })
      .catch(() => undefined);
    expect(calls).toEqual([]);
  });

  it('Public API address-book-list is applied to Outlook, and not when it says apply-address-books: false', async () => {
    const dir = path.join(tmp, 'public');
    const { mail, calls } = windowsMail(dir);
    const list = (apply: boolean) => ({
      addressBookList: async (service: string) => {
        expect(service).toBe('SMIME');
        return { applyAddressBooks: apply, addressBooks: [{ ldapServerUrl: 'ldap://dir.keytalk.test', searchBase: 'o=kt' }] };
      },
    });
    await mail.applyAddressBookList(list(false), 'SMIME');
    expect(calls).toEqual([]);
    const report = await mail.applyAddressBookList(list(true), 'SMIME');
    expect(report.applied).toEqual(['Outlook address books']);
    expect(calls.map((c) => [c.command, ...c.args])).toEqual(expectedCommands(path.join(dir, OUTLOOK_LDAP_PRF)));
    expect(await fs.readFile(path.join(dir, OUTLOOK_LDAP_PRF), 'utf8')).toContain('SearchBase=o=kt');
  });

  it('Self-Service address-books are applied, and a failing mail client never fails the invitation', async () => {
    const dir = path.join(tmp, 'ssapi');
    const { mail, calls } = windowsMail(dir);
    await applySelfServiceAddressBooks([{ url: 'ldaps://ldap.partner.test', searchBase: 'ou=ext' }], (b) =>
      mail.applyAddressBooks(b),
    );
    expect(calls.map((c) => [c.command, ...c.args])).toEqual(expectedCommands(path.join(dir, OUTLOOK_LDAP_PRF)));
    const warnings: string[] = [];
    await applySelfServiceAddressBooks(
      [{ url: 'ldaps://x.test' }],
      async () => {
        throw new Error('registry locked');
      },
      (m) => warnings.push(m),
    );
    expect(warnings).toEqual(['address books not applied: registry locked']);
  });
});
