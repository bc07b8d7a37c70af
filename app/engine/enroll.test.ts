import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureInput } from '../../simulators/keytalk/index';
import { describeCertificate } from '../crypto/cert-info';
import { computeHwsig } from '../hwsig/index';
import { FileStore } from '../stores/file-store';
import type { CertificateStore } from '../stores/store';
import { createHwsigFunction } from './hwsig-adapter';
import { runEnrollment, type EnrollRequest } from './enroll';
import type { FlowOutcome, FlowPrompt } from '../model/flow-types';
import { enrollments, messageStore, pendingApprovals } from './state';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';

const HW_PROBES = { 601: () => 'board-serial-1', 602: () => 'machine-id-1', 603: () => '00:11:22:33:44:55' };
const VPN_CONTENT = 'pretend vpn client binary\n';
const VPN_DIGEST = createHash('sha256').update(VPN_CONTENT).digest('hex');

// Every service spells out `cert` (the simulator's nested defaults only apply to a given cert object).
const fixture: FixtureInput = {
  server: { messages: [{ text: 'Maintenance Saturday', utc: '2026-01-01T06:00:00Z' }] },
  providers: [
    {
      name: 'Demo',
      services: [
        {
          name: 'PASSWD',
          credentials: ['USERID', 'PASSWD'],
          passwordPrompt: 'Password',
          cert: { subject: { o: 'KeyTalk Demo', c: 'NL' } },
        },
        { name: 'PIN', credentials: ['USERID', 'PIN'], cert: {} },
        { name: 'HWSIG', credentials: ['USERID', 'HWSIG', 'PASSWD'], hwsigFormula: '601,602,603', cert: {} },
        { name: 'OTP', credentials: ['USERID', 'PASSWD', 'OTP'], cert: {} },
        { name: 'RESPONSE', credentials: ['USERID', 'RESPONSE'], cert: {} },
        { name: 'KERBEROS', credentials: ['USERID', 'PASSWD'], useKerberos: true, cert: {} },
        {
          name: 'URIS',
          credentials: ['USERID', 'PASSWD'],
          serviceUris: [
            { uri: 'https://vpn.keytalk.test', ips: ['127.0.0.1'] },
            { uri: 'file://%KT_TEST_DIR%/vpn.exe', digest: VPN_DIGEST },
          ],
          resolveServiceUris: true,
          calcServiceUrisDigest: true,
          cert: {},
        },
        {
          name: 'CSR',
          credentials: ['USERID', 'PASSWD'],
          cert: {
            keySize: 2048,
            signingAlgo: 'sha256',
            csrSubject: { cn: 'DemoUser', c: 'NL', o: 'KeyTalk Demo', ous: ['Development', 'Administration'] },
            csrSan: ['email:demo@keytalk.test'],
          },
        },
        {
          name: 'SMIME',
          credentials: ['USERID', 'PASSWD'],
          cert: {
            applySmimeSettings: true,
            setDisclaimer: true,
            historicalCerts: true,
            executeSync: true,
            addressBooks: [{ ldap_svr_url: 'ldaps://ldap.keytalk.test', search_base: 'ou=people,dc=keytalk,dc=test' }],
          },
        },
        { name: 'APPROVAL', credentials: ['USERID', 'PASSWD'], cert: { pendingApprovalPolls: 1 } },
        { name: 'SUBMITTED', credentials: ['USERID', 'PASSWD'], cert: { submittedPolls: 2 } },
        {
          name: 'APPROVER',
          credentials: ['USERID', 'PASSWD'],
          cert: { approverEmails: ['admin@keytalk.test', 'hostmaster@keytalk.test'] },
        },
        {
          name: 'MFA',
          credentials: ['USERID', 'PASSWD', 'OTP'],
          mfa: {
            kind: 'mfa-popups',
            clientId: '01234567-89ab-cdef-0123-456789abcdef',
            authority: 'https://127.0.0.1:9/organizations',
            scopes: ['User.Read'],
          },
          cert: {},
        },
        { name: 'CN', credentials: ['USERID', 'PASSWD'], cert: { cnCustomizationPolicy: 'ALLOWED' } },
        { name: 'GNSN', credentials: ['USERID', 'PASSWD'], cert: { cnCustomizationPolicy: 'ALLOWED-AS-GIVENNAME_SURNAME' } },
        { name: 'SEAT', credentials: ['USERID', 'PASSWD'], supplyComputerName: true, seat: true, cert: {} },
      ],
      users: [
        {
          id: 'alice',
          password: 'secret',
          pin: '1234',
          otp: '424242',
          email: 'alice@keytalk.test',
          messages: [{ text: 'Hello alice', utc: '2026-02-01T00:00:00Z' }],
        },
        { id: 'bob', password: 'secret', passwordChallenge: { prompt: 'Enter your new PIN', answer: '9876' } },
        {
          id: 'carol',
          password: 'secret',
          challenges: [
            {
              challenges: [
                { name: 'UMTS AUTN', value: '0101' },
                { name: 'UMTS RANDOM', value: '1011' },
              ],
              responseNames: ['RES', 'IK'],
              expect: { RES: 'r1', IK: 'i1' },
            },
            { challenges: [{ name: 'second', value: '22' }], expect: { response: 'two' } },
          ],
        },
        { id: 'dave', password: 'old-pass', passwordExpired: true },
        { id: 'erin', password: 'secret', lockedSeconds: 600 },
        { id: 'frank', password: 'secret', delayFirstSeconds: 1 },
        { id: 'seat-user', password: 'secret', computerName: 'testhost' },
        { id: 'hw-user', password: 'secret', hwsig: computeHwsig('601,602,603', HW_PROBES, 'linux') },
      ],
    },
  ],
};

/** Fails with the outcome's message, so a broken path says why. */
function expectIssued(o: FlowOutcome): void {
  if (o.status !== 'issued') expect.fail(`expected issued, got ${JSON.stringify(o)}`);
}

let h: SimHarness;
beforeAll(async () => {
  h = await startSimHarness(fixture);
  await fs.writeFile(path.join(h.tmp, 'vpn.exe'), VPN_CONTENT);
});
afterAll(async () => h?.stop());

const alice = creds({ USERID: 'alice', PASSWD: 'secret' });
const enroll = (
  req: Partial<EnrollRequest> & { service: string },
  answers: Parameters<typeof scriptedTestFrontEnd>[0],
  deps = h.deps(),
) => {
  const t = scriptedTestFrontEnd(answers);
  return runEnrollment({ provider: 'Demo', ...req }, t.fe, deps).then((outcome) => ({ outcome, ...t }));
};

describe('server-generated certificates in every format', () => {
  for (const format of ['P12', 'PEM', 'P12v2'] as const) {
    it(`enrolls PASSWD with ${format}, stores cert + key in the file store and records the enrollment`, async () => {
      const { outcome, prompts } = await enroll({ service: 'PASSWD', format }, [() => alice]);
      expectIssued(outcome);
      if (outcome.status !== 'issued') return;
      expect(prompts[0]).toMatchObject({
        kind: 'credentials',
        // The service's password-prompt (2.6.1 auth-requirements) is the server's words: marked so the UI shows it as is.
        fields: [{ name: 'USERID' }, { name: 'PASSWD', label: 'Password', secret: true, serverLabel: true }],
      });
      expect(outcome.subject).toContain('CN=alice');
      const store = new FileStore(path.join(h.home, 'certs'));
      const bundle = await store.read(outcome.sha256Fingerprint);
      expect(bundle.keyPem).toMatch(/BEGIN PRIVATE KEY/);
      expect(describeCertificate(bundle.certPem).sha256Fingerprint).toBe(outcome.sha256Fingerprint);
      const rec = await enrollments.get(h.home, outcome.sha256Fingerprint);
      expect(rec).toMatchObject({
        provider: 'Demo',
        service: 'PASSWD',
        format,
        csr: false,
        userId: 'alice',
        rcdpVersion: '2.8.3',
      });
    });
  }

  it('keeps server messages (global and per user) with read state', async () => {
    const msgs = await messageStore.list(h.home);
    expect(msgs.map((m) => m.text)).toEqual(expect.arrayContaining(['Maintenance Saturday', 'Hello alice']));
    expect(msgs.every((m) => m.read === false)).toBe(true);
  });

  it('downloads the certificate out of band', async () => {
    const { outcome } = await enroll({ service: 'PASSWD', format: 'PEM', outOfBand: true }, [() => alice]);
    expectIssued(outcome);
  });
});

describe('stores', () => {
  it('a store that fails rolls back the stores already written: nothing half-written, code store-failed', async () => {
    const good = new FileStore(path.join(h.tmp, 'rollback-good'));
    const broken: CertificateStore = {
      id: 'broken',
      describe: async () => ({ id: 'broken', name: 'broken', location: '-', usedBy: [], available: true }),
      add: async () => {
        throw new Error('disk full');
      },
      list: async () => [],
      find: async () => [],
      remove: async () => {},
    };
    const { outcome } = await enroll({ service: 'PASSWD' }, [() => alice], h.deps({ stores: () => [good, broken] }));
    expect(outcome).toMatchObject({ status: 'failed', code: 'store-failed', message: expect.stringContaining('disk full') });
    expect(await good.list()).toEqual([]);
  });
});

describe('CSR mode', () => {
  it('generates the key locally from csr-requirements (several OUs, SAN) and stores the signed certificate', async () => {
    const { outcome, progress } = await enroll({ service: 'CSR', csr: true }, [() => alice]);
    expectIssued(outcome);
    if (outcome.status !== 'issued') return;
    expect(progress.some((p) => p.kind === 'step' && p.step === 'generate-key')).toBe(true);
    const info = describeCertificate((await new FileStore(path.join(h.home, 'certs')).read(outcome.sha256Fingerprint)).certPem);
    expect(info.subjectFields.OU?.sort()).toEqual(['Administration', 'Development']);
  });
});

describe('authentication paths', () => {
  it('PIN', async () => {
    const { outcome, prompts } = await enroll({ service: 'PIN' }, [() => creds({ USERID: 'alice', PIN: '1234' })]);
    expectIssued(outcome);
    const fields = (prompts[0] as Extract<FlowPrompt, { kind: 'credentials' }>).fields;
    expect(fields.map((f) => f.name)).toEqual(['USERID', 'PIN']);
    // No password-prompt from the server: the labels are the engine's, which the UI replaces with its own words.
    expect(fields.some((f) => f.serverLabel)).toBe(false);
  });

  it('HWSIG is computed by the injected function and sent with the credentials', async () => {
    let formula = '';
    const deps = h.deps({ hwsig: async (f) => ((formula = f), 'CS-ABC') });
    const { outcome } = await enroll({ service: 'HWSIG' }, [() => alice], deps);
    expectIssued(outcome);
    expect(formula).toBe('601,602,603');
  });

  it('HWSIG from the real formula evaluation over injected probes matches what the server registered', async () => {
    const deps = h.deps({ hwsig: createHwsigFunction(HW_PROBES, 'linux') });
    expectIssued((await enroll({ service: 'HWSIG' }, [() => creds({ USERID: 'hw-user', PASSWD: 'secret' })], deps)).outcome);
    const other = h.deps({ hwsig: createHwsigFunction({ ...HW_PROBES, 601: () => 'another-board' }, 'linux') });
    expect(
      (await enroll({ service: 'HWSIG' }, () => creds({ USERID: 'hw-user', PASSWD: 'secret' }), other)).outcome,
    ).toMatchObject({ status: 'failed', code: 'auth-failed' });
    await h.control('/users/hw-user/unlock', {});
  });

  it('OTP: WAIT-FOR-OTP, then the one-time password from the otp prompt', async () => {
    const { outcome, prompts } = await enroll({ service: 'OTP' }, [() => alice, () => ({ kind: 'otp', otp: '424242' })]);
    expectIssued(outcome);
    expect(prompts[1]).toMatchObject({ kind: 'otp', sentTo: 'alice' });
  });

  it('MFA: WAIT-FOR-OTP with mfa-settings calls the injected MfaSignIn and sends its token as OTP/MFA', async () => {
    const calls: unknown[] = [];
    const deps = h.deps({
      mfa: {
        acquireToken: async (settings, opts) => (
          calls.push({ settings, unattended: opts.unattended, loginHint: opts.loginHint }),
          'not-a-valid-jwt'
        ),
        signOut: async () => {},
      },
    });
    const { outcome, progress } = await enroll({ service: 'MFA' }, () => alice, deps);
    // The simulator checks the token against the IdP's keys: a fake token is rejected like a wrong OTP.
    expect(outcome).toMatchObject({ status: 'failed', code: 'auth-failed' });
    expect(calls[0]).toEqual({
      settings: {
        kind: 'mfa-popups',
        clientId: '01234567-89ab-cdef-0123-456789abcdef',
        authority: 'https://127.0.0.1:9/organizations',
        scopes: ['User.Read'],
      },
      unattended: false,
      loginHint: 'alice',
    });
    expect(progress).toContainEqual({ kind: 'mfa', state: 'done', authority: 'https://127.0.0.1:9/organizations' });
    await h.control('/users/alice/unlock', {});
  });

  it('MFA unattended: a sign-in that needs the browser ends with needs-input', async () => {
    const deps = h.deps({
      mfa: {
        acquireToken: async () => {
          const e = new Error('interactive sign-in required');
          e.name = 'MfaInteractionRequired';
          throw e;
        },
        signOut: async () => {},
      },
    });
    const t = scriptedTestFrontEnd([]);
    const outcome = await runEnrollment(
      { provider: 'Demo', service: 'MFA', unattended: true, credentials: { USERID: 'alice', PASSWD: 'secret' } },
      t.fe,
      deps,
    );
    expect(outcome).toMatchObject({ status: 'failed', code: 'needs-input' });
  });

  it('multi-phase password CHALLENGE answered in PASSWD', async () => {
    const { outcome, prompts } = await enroll({ service: 'PASSWD' }, [
      () => creds({ USERID: 'bob', PASSWD: 'secret' }),
      () => ({ kind: 'challenge', responses: [{ name: 'response', value: '9876' }] }),
    ]);
    expectIssued(outcome);
    expect(prompts[1]).toMatchObject({ kind: 'challenge', mode: 'passwd', challenges: [{ value: 'Enter your new PIN' }] });
  });

  it('challenge-response in two steps (RESPONSE)', async () => {
    const { outcome, prompts } = await enroll({ service: 'RESPONSE' }, [
      () => creds({ USERID: 'carol' }),
      () => ({
        kind: 'challenge',
        responses: [
          { name: 'RES', value: 'r1' },
          { name: 'IK', value: 'i1' },
        ],
      }),
      () => ({ kind: 'challenge', responses: [{ name: 'response', value: 'two' }] }),
    ]);
    expectIssued(outcome);
    expect(prompts[1]).toMatchObject({ kind: 'challenge', mode: 'response', responseNames: ['RES', 'IK'] });
  });

  it('EXPIRED → change-password → authenticate with the new password', async () => {
    const { outcome, prompts } = await enroll({ service: 'PASSWD' }, [
      () => creds({ USERID: 'dave', PASSWD: 'old-pass' }),
      () => ({ kind: 'change-password', oldPassword: 'old-pass', newPassword: 'new-pass-1' }),
    ]);
    expectIssued(outcome);
    expect(prompts[1]).toMatchObject({ kind: 'change-password', reason: 'expired' });
  });

  it('LOCKED stops with code locked', async () => {
    const { outcome } = await enroll({ service: 'PASSWD' }, [() => creds({ USERID: 'erin', PASSWD: 'secret' })]);
    expect(outcome).toMatchObject({ status: 'failed', code: 'locked' });
  });

  // RCDP 2.6.3: DELAY = "authentication was not successful"; the caller is suspended for `delay` seconds.
  it('DELAY: waits out the countdown, then asks the user again (the rejected attempt is never resent)', async () => {
    const { outcome, progress, prompts } = await enroll(
      { service: 'PASSWD' },
      [() => creds({ USERID: 'frank', PASSWD: 'secret' }), () => creds({ USERID: 'frank', PASSWD: 'secret' })],
      h.deps({ sleep: undefined }),
    );
    expectIssued(outcome);
    expect(prompts).toHaveLength(2);
    expect(prompts[1]).toMatchObject({ kind: 'credentials', error: expect.stringContaining('rejected the credentials') });
    expect(progress).toContainEqual({ kind: 'wait', seconds: 1, reason: 'delay' });
  });

  it('wrong password: each rejection asks the user again with the error, and the flow ends after max attempts', async () => {
    const { outcome, prompts } = await enroll({ service: 'PASSWD' }, () => creds({ USERID: 'alice', PASSWD: 'wrong' }));
    expect(outcome).toMatchObject({ status: 'failed', code: 'auth-failed', message: expect.stringContaining('3 times') });
    // One prompt per attempt: three attempts, three answers, nothing sent that the user did not type.
    expect(prompts).toHaveLength(3);
    expect(prompts[1]).toMatchObject({ kind: 'credentials', error: expect.stringContaining('rejected') });
    await h.control('/users/alice/unlock', {});
  });

  it('Kerberos requested: a rejected ticket falls back to the regular credentials', async () => {
    const deps = h.deps({ kerberosTicket: async () => ({ 'client-principal': 'alice@KEYTALK.TEST', tgt: 'AAAA' }) });
    const { outcome } = await enroll({ service: 'KERBEROS' }, [() => alice], deps);
    expectIssued(outcome);
  });

  it('service URIs: resolved addresses (DNS lookup) and SHA-256 digests of file:// targets with env vars expanded', async () => {
    const looked: string[] = [];
    const deps = h.deps({ resolveHost: async (host) => (looked.push(host), ['127.0.0.1']), env: { KT_TEST_DIR: h.tmp } });
    const { outcome } = await enroll({ service: 'URIS' }, [() => alice], deps);
    expectIssued(outcome);
    expect(looked).toEqual(['vpn.keytalk.test']);
  });

  it('service URIs: a wrong digest gives ErrDigestInvalid in words', async () => {
    await fs.writeFile(path.join(h.tmp, 'other', 'vpn.exe'), 'changed').catch(async () => {
      await fs.mkdir(path.join(h.tmp, 'other'));
      await fs.writeFile(path.join(h.tmp, 'other', 'vpn.exe'), 'changed');
    });
    const deps = h.deps({ resolveHost: async () => ['127.0.0.1'], env: { KT_TEST_DIR: path.join(h.tmp, 'other') } });
    const { outcome } = await enroll({ service: 'URIS' }, [() => alice], deps);
    expect(outcome).toMatchObject({
      status: 'failed',
      code: 'server-error',
      message: expect.stringMatching(/1002 ErrDigestInvalid.*executable/),
    });
  });
});

describe('certificate phase variants', () => {
  it('submitted / in-progress: polls with the cookie until issued', async () => {
    const { outcome, progress } = await enroll({ service: 'SUBMITTED' }, [() => alice]);
    expectIssued(outcome);
    expect(progress.filter((p) => p.kind === 'step' && p.step === 'cert').length).toBeGreaterThanOrEqual(3);
  });

  it('cert-challenge: asks for the approver email and resends with it', async () => {
    const { outcome, prompts } = await enroll({ service: 'APPROVER' }, [
      () => alice,
      () => ({ kind: 'approver-email', email: 'hostmaster@keytalk.test' }),
    ]);
    expectIssued(outcome);
    expect(prompts[1]).toEqual({ kind: 'approver-email', emails: ['admin@keytalk.test', 'hostmaster@keytalk.test'] });
  });

  it('pending-approval is remembered and a later poll issues the certificate', async () => {
    const first = await enroll({ service: 'APPROVAL', format: 'PEM' }, [() => alice]);
    expect(first.outcome).toMatchObject({ status: 'pending-approval', approvalOngoing: false });
    expect(await pendingApprovals.list(h.home)).toMatchObject([
      { provider: 'Demo', service: 'APPROVAL', format: 'PEM', userId: 'alice' },
    ]);
    const second = await enroll({ service: 'APPROVAL' }, [() => alice]);
    expectIssued(second.outcome);
    expect(await pendingApprovals.list(h.home)).toEqual([]);
  });

  it('keeps the extra reply fields and stores historical certificates as historical', async () => {
    await enroll({ service: 'SMIME' }, [() => alice]);
    const { outcome } = await enroll({ service: 'SMIME' }, [() => alice]);
    expectIssued(outcome);
    if (outcome.status !== 'issued') return;
    const rec = await enrollments.get(h.home, outcome.sha256Fingerprint);
    expect(rec?.extras).toMatchObject({
      applySmimeSettings: true,
      setDisclaimer: true,
      executeSync: true,
      addressBooks: [{ ldap_svr_url: 'ldaps://ldap.keytalk.test' }],
    });
    expect(rec?.extras.historicalCertFingerprints?.length).toBeGreaterThanOrEqual(1);
  });

  it('cert-options: common name where the policy is ALLOWED, extra SAN domains', async () => {
    const { outcome, prompts } = await enroll({ service: 'CN', certOptions: 'ask' }, [
      () => alice,
      () => ({ kind: 'cert-options', commonName: 'Alice Custom', sanDomains: ['extra.keytalk.test'] }),
    ]);
    expectIssued(outcome);
    expect(prompts[1]).toEqual({
      kind: 'cert-options',
      allowCommonName: true,
      allowGivenNameSurname: false,
      allowSanDomains: true,
    });
    if (outcome.status !== 'issued') return;
    const info = describeCertificate((await new FileStore(path.join(h.home, 'certs')).read(outcome.sha256Fingerprint)).certPem);
    expect(info.commonName).toBe('Alice Custom');
    expect(info.dnsNames).toContain('extra.keytalk.test');
  });

  it('cert-options: given name and surname where the policy says ALLOWED-AS-GIVENNAME_SURNAME; a CN is not sent', async () => {
    const { outcome, prompts } = await enroll({ service: 'GNSN', certOptions: 'ask' }, [
      () => alice,
      () => ({ kind: 'cert-options', commonName: 'ignored', givenName: 'Alice', surname: 'Liddell' }),
    ]);
    expectIssued(outcome);
    expect(prompts[1]).toMatchObject({ allowCommonName: false, allowGivenNameSurname: true });
    if (outcome.status === 'issued') expect(outcome.subject).toMatch(/Alice Liddell|GN=Alice|givenName=Alice/);
  });

  it('seat authentication renews with the seat certificate key (CMS challenge, size#challenge)', async () => {
    const first = await enroll({ service: 'SEAT' }, [() => creds({ USERID: 'seat-user', PASSWD: 'secret' })]);
    expectIssued(first.outcome);
    if (first.outcome.status !== 'issued') return;
    const bundle = await new FileStore(path.join(h.home, 'certs')).read(first.outcome.sha256Fingerprint);
    const { decryptCmsEnvelope } = await import('../crypto/cms');
    const { outcome, prompts } = await enroll(
      { service: 'SEAT', seat: { userId: 'seat-user', certPem: bundle.certPem, keyPem: bundle.keyPem! } },
      [],
      h.deps({ decryptSeatChallenge: decryptCmsEnvelope }),
    );
    expectIssued(outcome);
    expect(prompts).toEqual([]);
  });
});
