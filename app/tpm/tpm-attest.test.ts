/**
 * TPM key attestation (RCDP 2.6.1 auth-requirements use-tpm-vsc-authentication "yes-with-attestation", 2.7.4
 * tpm-attestation, 2.7.5 cert with tpm-evidence, 2.4.2 errors 1007/1008, Public API 3.2.16 is-cert-tpm-attested)
 * against the simulator, which verifies with its own openssl and tpm2-tools calls, and one real software TPM whose
 * EK certificate the set-up writes into NV index 0x01c00002 like platform firmware does.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';
import {
  createEkCa,
  provisionEkCert,
  reportSkip,
  startSwtpm,
  swtpmUnavailable,
  type EkCa,
  type SwTpm,
} from '../../test-support/hardware/index';
import type { TpmAttestationExchange, TpmKeyRef, TpmKeySource } from '../engine/tpm-csr';
import { runEnrollment } from '../engine/enroll';
import { processRunner } from '../system/command-runner';
import { credentialBlob, TpmKeys } from './index';

describe('the tpm-attestation challenge (2.7.4 "Base64-encoded TPM challenge")', () => {
  it('is read as tpm2_makecredential output, or as the bare ID object + encrypted secret', () => {
    const pair = Buffer.concat([Buffer.from([0, 2, 0xaa, 0xbb, 0, 3, 1, 2, 3])]);
    const withHeader = Buffer.concat([Buffer.from('badcc0de00000001', 'hex'), pair]);
    expect(credentialBlob(withHeader.toString('base64')).equals(withHeader)).toBe(true);
    expect(credentialBlob(pair.toString('base64')).equals(withHeader)).toBe(true);
  });
  it('that is neither is refused with a sentence naming it', () => {
    expect(() => credentialBlob(Buffer.from('not a credential').toString('base64'))).toThrow(
      /challenge is not a TPM 2.0 credential .*16 bytes starting 6e6f742061206372/,
    );
  });
});

describe('yes-with-attestation where it cannot be done is refused before any credential is sent', () => {
  const fixture = {
    server: { rsaKeyPool: 0 },
    providers: [
      {
        name: 'Demo',
        services: [{ name: 'ATTESTED', useTpmVsc: 'yes-with-attestation' as const }],
        users: [{ id: 'alice', password: 'secret' }],
      },
    ],
  };
  // A TPM path without attestation (the Windows Platform Crypto Provider path): nothing here may be called.
  const noAttest: TpmKeySource = {
    createKey: () => Promise.reject(new Error('no key may be made')),
    csr: () => Promise.reject(new Error('no CSR may be signed')),
    publicPem: () => Promise.reject(new Error('unused')),
    remove: () => Promise.resolve(),
  };
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSimHarness(fixture);
  });
  afterAll(() => h?.stop());
  const enrollWith = async (overrides: Parameters<SimHarness['deps']>[0]) => {
    const t = scriptedTestFrontEnd([]);
    const outcome = await runEnrollment({ provider: 'Demo', service: 'ATTESTED' }, t.fe, h.deps(overrides));
    expect(t.prompts).toEqual([]);
    return outcome;
  };

  it('2.6.1: a TPM path that cannot attest', async () => {
    expect(await enrollWith({ tpmKeys: noAttest })).toMatchObject({
      status: 'failed',
      code: 'unsupported',
      message: expect.stringMatching(/with TPM attestation \(use-tpm-vsc-authentication: yes-with-attestation\).*cannot attest/),
    });
  });

  it('2.7.4 "as of v2.7.2": a session below 2.7.2 has no tpm-attestation', async () => {
    const keys = { ...noAttest, attest: () => Promise.reject(new Error('no attestation may start')) };
    const outcome = await enrollWith({ tpmKeys: keys, rcdp: { versions: ['2.3.0'], versionlessPaths: false } });
    expect(outcome).toMatchObject({ status: 'failed', message: expect.stringMatching(/RCDP 2\.3\.0.*needs 2\.7\.2/) });
  });
});

const noTpm = reportSkip('TPM attestation with swtpm', await swtpmUnavailable());

describe.skipIf(noTpm)('TPM attestation with swtpm (2.7.4 / 2.7.5)', () => {
  let tpm: SwTpm;
  let h: SimHarness;
  let keys: TpmKeys;
  let ekCa: EkCa;
  let caDir: string;
  beforeAll(async () => {
    tpm = await startSwtpm();
    keys = new TpmKeys(processRunner, tpm.env);
    caDir = await fs.mkdtemp(path.join(tpm.dir, 'ca-'));
    ekCa = await createEkCa(caDir, 'Test EK CA');
    await provisionEkCert(tpm, ekCa);
    h = await startSimHarness({
      // CSR enrollments only: no pool of server-generated keys competing for the CPU.
      server: { tpmEkCaFile: ekCa.certFile, rsaKeyPool: 0 },
      providers: [
        {
          name: 'Demo',
          services: [
            {
              name: 'ATTESTED',
              credentials: ['USERID', 'PASSWD'],
              useTpmVsc: 'yes-with-attestation',
              cert: { csrSubject: { cn: 'alice', o: 'KeyTalk Demo', c: 'NL' }, csrSan: ['email:alice@keytalk.test'] },
            },
          ],
          users: [{ id: 'alice', password: 'secret' }],
        },
      ],
    });
  });
  afterAll(async () => {
    await h?.stop();
    await tpm?.stop();
  });

  const enroll = (source: TpmKeySource = keys) => {
    const t = scriptedTestFrontEnd([() => creds({ USERID: 'alice', PASSWD: 'secret' })]);
    return runEnrollment({ provider: 'Demo', service: 'ATTESTED' }, t.fe, h.deps({ tpmKeys: source }));
  };
  /** The agent's TPM with the evidence made by `alter` instead (what a forger or a broken TPM path would send). */
  const tampered = (
    alter: (x: TpmAttestationExchange, challenge: string, key: TpmKeyRef) => ReturnType<TpmAttestationExchange['evidence']>,
  ): TpmKeySource => ({
    createKey: (n) => keys.createKey(n),
    csr: (k, s, san, d) => keys.csr(k, s, san, d),
    publicPem: (k) => keys.publicPem(k),
    remove: (k) => keys.remove(k),
    attest: async () => {
      const x = await keys.attest();
      return { request: x.request, close: () => x.close(), evidence: (challenge, key) => alter(x, challenge, key) };
    },
  });
  const issuedCount = async () => ((await h.control('/issued')) as unknown[]).length;

  it('2.7.4 + 2.7.5: EK certificate, EK public and AK name, then evidence with the CSR: the TPM-bound certificate is issued and attested', async () => {
    const handlesBefore = (await keys.persistentHandles()).length;
    const outcome = await enroll();
    if (outcome.status !== 'issued') expect.fail(JSON.stringify(outcome));
    const log = (await h.control('/log')) as { action?: string; path?: string; fields: Record<string, string> }[];
    const att = log.filter((e) => e.action === 'tpm-attestation').at(-1)!;
    expect(att.fields['ek-cert']).toMatch(/BEGIN CERTIFICATE/);
    expect(att.fields['ak-name']).toMatch(/^000b[0-9a-f]{64}$/);
    const cert = log.filter((e) => e.action === 'cert').at(-1)!;
    expect(cert.fields.csr).toMatch(/BEGIN CERTIFICATE REQUEST/);
    expect(cert.fields['tpm-evidence']).toBe('[redacted]');
    // The key stayed in the TPM (one new persistent handle) and is the certificate's key.
    expect((await keys.persistentHandles()).length).toBe(handlesBefore + 1);
    const dir = path.join(h.home, 'certs', outcome.sha256Fingerprint.toUpperCase());
    const { handle } = JSON.parse(await fs.readFile(path.join(dir, 'tpm-key.json'), 'utf8')) as { handle: string };
    const x = new X509Certificate(await fs.readFile(path.join(dir, 'cert.pem'), 'utf8'));
    expect(x.publicKey.export({ format: 'pem', type: 'spki' })).toBe(await keys.publicPem({ handle }));
    // Public API 3.2.16: the server knows this certificate as TPM-attested.
    const sha1 = x.fingerprint.replace(/:/g, '');
    const res = await fetch(`${h.sim.httpUrl}/public/is-cert-tpm-attested?cert-sha1-fingerprint=${sha1}`);
    expect(await res.json()).toEqual({ status: 'yes' });
    // The agent asked the same right after issue: certs --json (and the UI's details) carry the server's answer.
    const run = await runCliCaptured(['certs', '--json'], { home: h.home });
    const listed = (
      JSON.parse(run.stdout) as { certificates: { sha256Fingerprint: string; keyLocations?: string[]; tpmAttested?: boolean }[] }
    ).certificates.find((c) => c.sha256Fingerprint === outcome.sha256Fingerprint.toUpperCase());
    expect(listed).toMatchObject({ keyLocations: ['tpm'], tpmAttested: true });
    const ask = log.find((e) => e.path?.includes('is-cert-tpm-attested'));
    expect(ask?.fields['cert-sha1-fingerprint']).toBe(sha1.toLowerCase());
  });

  it('2.7.5: tampered evidence is refused and nothing is issued; the unused TPM key is evicted', async () => {
    const before = await issuedCount();
    const handlesBefore = (await keys.persistentHandles()).length;
    const outcome = await enroll(
      tampered(async (x, challenge, key) => {
        const made = await x.evidence(challenge, key);
        const secret = Buffer.from(made.evidence, 'base64');
        secret[0] = secret[0]! ^ 0xff;
        return { ...made, evidence: secret.toString('base64') };
      }),
    );
    expect(outcome).toMatchObject({ status: 'failed', message: expect.stringMatching(/tpm-evidence does not answer/) });
    expect(await issuedCount()).toBe(before);
    expect((await keys.persistentHandles()).length).toBe(handlesBefore);
  });

  it('2.7.5: the CSR key must be the key the AK certified: a certify of another TPM key is refused', async () => {
    // A genuine TPM, a genuine AK, but the certify names another key than the one that signed the CSR.
    const other = await keys.createKey(2048);
    try {
      const before = await issuedCount();
      const outcome = await enroll(tampered((x, challenge) => x.evidence(challenge, other)));
      expect(outcome).toMatchObject({
        status: 'failed',
        message: expect.stringMatching(/the CSR is not signed by the certified TPM key/),
      });
      expect(await issuedCount()).toBe(before);
    } finally {
      await keys.remove(other);
    }
  });

  it('2.4.2 error 1007: an EK certificate from a CA the server does not know is refused in words', async () => {
    const foreign = await createEkCa(caDir, 'Unknown Vendor EK CA');
    await provisionEkCert(tpm, foreign);
    const before = await issuedCount();
    const handlesBefore = (await keys.persistentHandles()).length;
    const outcome = await enroll();
    expect(outcome).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/does not trust this computer's TPM.*error 1007.*endorsement CA/),
    });
    expect(await issuedCount()).toBe(before);
    // The TPM was attested before a key was made: a refused TPM costs no persistent handle.
    expect((await keys.persistentHandles()).length).toBe(handlesBefore);
  });

  it("2.4.2 error 1008: an EK certificate for another key (not this TPM's EK public blob) is refused in words", async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    await provisionEkCert(tpm, ekCa, other);
    const outcome = await enroll();
    expect(outcome).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/endorsement key certificate does not belong to its endorsement key \(error 1008/),
    });
    await provisionEkCert(tpm, ekCa); // the TPM's own again, for any later test
  });
});
