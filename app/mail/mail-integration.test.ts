import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeytalkSimulator, type KeytalkSimulator } from '../../simulators/keytalk/index';
import { PublicApiClient } from '../public-api/client';
import type { AgentSchedulerOptions } from '../scheduler/agent-scheduler';
import { TestPki } from '../../test-support/stores/test-pki';
import { processRunner, RecordingRunner } from '../system/command-runner';
import { createMailIntegration } from './mail-integration';
import { nssDbKey } from './nss-dbkey';
import { parsePrefs } from './prefs';

let sim: KeytalkSimulator;
let tmp: string;
let home: string;
let profile: string;
let agent: https.Agent;
const pki = new TestPki('Integration');

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-mailint-'));
  home = path.join(tmp, 'home');
  const root = path.join(home, '.thunderbird');
  profile = path.join(root, 'p.default');
  await fs.mkdir(profile, { recursive: true });
  await fs.writeFile(path.join(root, 'profiles.ini'), '[Profile0]\nName=default\nIsRelative=1\nPath=p.default\nDefault=1\n');
  await fs.writeFile(
    path.join(profile, 'prefs.js'),
    'user_pref("mail.identity.id1.useremail", "demo@keytalk.test");\nuser_pref("mail.identity.id1.htmlSigFormat", true);\nuser_pref("mail.identity.id1.htmlSigText", "Demo User");\n',
  );
  execFileSync('certutil', ['-N', '-d', `sql:${profile}`, '--empty-password']);
  sim = await startKeytalkSimulator({
    fixture: path.resolve('simulators/keytalk/fixtures/demo.yaml'),
    stateDir: path.join(tmp, 'sim'),
    port: 0,
    controlPort: 0,
  });
  agent = new https.Agent({ ca: await fs.readFile(sim.caFile, 'utf8') });
}, 60_000);
afterAll(async () => {
  agent.destroy();
  await sim.stop();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('mail integration (what the scheduler and the engine call)', () => {
  it('disclaimerHook fits the scheduler hook type (AgentSchedulerOptions.applyDisclaimer)', async () => {
    const mail = createMailIntegration({ runner: processRunner, userHome: home, platform: 'linux' });
    const hook: NonNullable<AgentSchedulerOptions['applyDisclaimer']> = mail.disclaimerHook;
    await expect(
      hook({ provider: 'Demo', service: 'SMIME', email: 'nobody@keytalk.test', disclaimer: undefined, previous: undefined }),
    ).resolves.toBeUndefined();
  });

  it("applyDisclaimer with the server's real disclaimer zip: Thunderbird identity and Outlook signatures", async () => {
    const d = await new PublicApiClient({ baseUrl: sim.url, agent }).disclaimerForSmimeCertEmail('SMIME', 'demo@keytalk.test');
    expect(d).toBeDefined();
    const outlook = path.join(tmp, 'Signatures');
    const runner = new RecordingRunner(() => ({ code: 0, stdout: '', stderr: '' }));
    const mail = createMailIntegration({ runner, userHome: home, platform: 'linux', outlookSignaturesDir: outlook });
    const report = await mail.applyDisclaimer({ email: 'demo@keytalk.test', disclaimer: d });
    expect(report.failed).toEqual([]);
    expect(report.applied).toEqual(['Thunderbird default', 'Outlook']);
    const sig = String(parsePrefs(await fs.readFile(path.join(profile, 'user.js'), 'utf8')).get('mail.identity.id1.htmlSigText'));
    expect(sig).toMatch(
      /^Demo User<br><!--keytalk-disclaimer:begin-->.*This e-mail is confidential\..*<!--keytalk-disclaimer:end-->$/,
    );
    expect(await fs.readFile(path.join(outlook, 'KeyTalk disclaimer.htm'), 'utf8')).toContain('This e-mail is confidential.');

    await mail.applyDisclaimer({ email: 'demo@keytalk.test', disclaimer: undefined });
    expect(
      String(parsePrefs(await fs.readFile(path.join(profile, 'user.js'), 'utf8')).get('mail.identity.id1.htmlSigText')),
    ).toBe('Demo User');
    await expect(
      mail.applyDisclaimer({ email: 'demo@keytalk.test', disclaimer: { name: 'x', zipBase64: 'AAAA' } }),
    ).rejects.toThrow(/disclaimer zip/);
  });

  it('applyAddressBookList: the Public API address-book-list of the service goes into Thunderbird', async () => {
    const mail = createMailIntegration({ runner: processRunner, userHome: home, platform: 'linux' });
    const r = await mail.applyAddressBookList(new PublicApiClient({ baseUrl: sim.url, agent }), 'SMIME');
    expect(r.applied).toEqual(['Thunderbird default address books']);
    const prefs = parsePrefs(await fs.readFile(path.join(profile, 'user.js'), 'utf8'));
    expect(prefs.get('ldap_2.servers.keytalk_ldap_keytalk_test.description')).toBe('KeyTalk: ldap.keytalk.test');
    expect((await mail.applyAddressBookList(new PublicApiClient({ baseUrl: sim.url, agent }), 'PASSWD')).applied).toEqual([]);
  });

  it('applyAfterEnrollment: certificate (+ historical) into the profile NSS DB, identity set, address books; historical never selected', async () => {
    const mail = createMailIntegration({ runner: processRunner, userHome: home, platform: 'linux' });
    const bundle = pki.bundle('Demo User', 'Demo SMIME', { E: 'demo@keytalk.test' });
    const old = { ...pki.bundle('Demo User', 'Demo SMIME old', { E: 'demo@keytalk.test' }), historical: true };
    const report = await mail.applyAfterEnrollment({
      bundle,
      historical: [old],
      applySmimeSettings: true,
      applyAddressBooks: true,
      addressBooks: [{ ldap_svr_url: 'ldaps://ldap.keytalk.test', search_base: 'ou=people,dc=keytalk,dc=test' }],
    });
    expect(report.failed).toEqual([]);
    const prefs = parsePrefs(await fs.readFile(path.join(profile, 'user.js'), 'utf8'));
    // NSS gives certificates with the same subject the same nickname, so the nickname alone cannot tell the
    // current certificate from the historical one; the dbkey (issuer + serial) can, and Thunderbird uses it first.
    const nick = String(prefs.get('mail.identity.id1.signing_cert_name'));
    const exported = execFileSync('certutil', ['-L', '-d', `sql:${profile}`, '-n', nick, '-a']).toString();
    expect(exported).toContain('BEGIN CERTIFICATE');
    expect(prefs.get('mail.identity.id1.signing_cert_dbkey')).toBe(nssDbKey(bundle.certPem));
    expect(prefs.get('mail.identity.id1.encryption_cert_dbkey')).not.toBe(nssDbKey(old.certPem));
    expect(
      execFileSync('certutil', ['-K', '-d', `sql:${profile}`])
        .toString()
        .match(/rsa/g)!.length,
    ).toBeGreaterThanOrEqual(1);
    expect(prefs.get('ldap_2.servers.keytalk_ldap_keytalk_test.uri')).toBe(
      'ldaps://ldap.keytalk.test:636/ou=people,dc=keytalk,dc=test??sub?(objectclass=*)',
    );
    // the historical certificate is in the DB but is not the identity's certificate
    const list = execFileSync('certutil', ['-L', '-d', `sql:${profile}`]).toString();
    expect(list.match(/u,u,u/g)!.length).toBe(2);
  });

  it('applyAfterEnrollment on Windows: Outlook signs by default and its default security setting gets the certificate', async () => {
    const winHome = await fs.mkdtemp(path.join(tmp, 'win-'));
    const runner = new RecordingRunner((spec) => {
      const [verb, , , name] = spec.args;
      if (verb === 'add') return { code: 0, stdout: 'The operation completed successfully.', stderr: '' };
      if (name === 'DefaultProfile') return { code: 0, stdout: '    DefaultProfile    REG_SZ    Outlook\r\n', stderr: '' };
      if (name === 'Bitness') return { code: 0, stdout: '    Bitness    REG_SZ    x64\r\n', stderr: '' };
      return { code: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.' };
    });
    const mail = createMailIntegration({ runner, userHome: winHome, platform: 'win32', env: {} });
    const bundle = pki.bundle('Win User', 'Win SMIME', { E: 'win@keytalk.test' });
    const report = await mail.applyAfterEnrollment({ bundle, applySmimeSettings: true });
    expect(report.applied).toEqual(['Outlook S/MIME']);
    expect(report.notes).toContainEqual(
      expect.stringMatching(/^Outlook profile "Outlook": win@keytalk\.test signs and encrypts/),
    );
    const adds = runner.calls.filter((c) => c.args[0] === 'add').map((c) => [c.args[1], c.args[3]]);
    expect(adds).toEqual([
      ['HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Security', 'AlwaysSign'],
      ['HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Security', 'ClearSign'],
      ['HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles\\Outlook\\c02ebc5353d9cd11975200aa004ae40e', '11020355'],
    ]);
  });
});
