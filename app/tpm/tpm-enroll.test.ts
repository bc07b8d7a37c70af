/**
 * Enrollment with a TPM-generated key (RCDP 2.6.1 auth-requirements use-tpm-vsc-authentication "yes", 2.7.3
 * csr-requirements, 2.7.5 cert from the client CSR) against the simulator and a real software TPM (swtpm).
 */
import { createPublicKey, X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';
import { reportSkip, startSwtpm, swtpmUnavailable, type SwTpm } from '../../test-support/hardware/index';
import { runEnrollment } from '../engine/enroll';
import { processRunner } from '../system/command-runner';
import { TpmKeys } from './index';

const fixture = {
  providers: [
    {
      name: 'Demo',
      services: [
        {
          name: 'TPM',
          credentials: ['USERID', 'PASSWD'] as ('USERID' | 'PASSWD')[],
          useTpmVsc: 'yes' as const,
          cert: { csrSubject: { cn: 'alice', o: 'KeyTalk Demo', c: 'NL' }, csrSan: ['email:alice@keytalk.test'] },
        },
      ],
      users: [{ id: 'alice', password: 'secret' }],
    },
  ],
};

/** Every file under `dir` whose content looks like a private key (PEM, or a PKCS#12 container). */
async function keyFilesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    const text = await fs.readFile(file, 'latin1');
    if (/PRIVATE KEY-----/.test(text) || e.name.endsWith('.p12') || e.name === 'key.pem') found.push(file);
  }
  return found;
}

describe('a TPM key required where the agent has none', () => {
  it('is refused with a message that says so (no TPM support configured)', async () => {
    const h = await startSimHarness(fixture);
    try {
      const t = scriptedTestFrontEnd([() => creds({ USERID: 'alice', PASSWD: 'secret' })]);
      const outcome = await runEnrollment({ provider: 'Demo', service: 'TPM' }, t.fe, h.deps({ tpmKeys: undefined }));
      expect(outcome).toMatchObject({
        status: 'failed',
        code: 'unsupported',
        message: expect.stringMatching(/requires a TPM Virtual Smart Card key.*no TPM support is configured/),
      });
    } finally {
      await h.stop();
    }
  });
});

const noTpm = reportSkip('TPM key enrollment with swtpm', await swtpmUnavailable());

describe.skipIf(noTpm)('TPM key enrollment with swtpm', () => {
  let tpm: SwTpm;
  let h: SimHarness;
  let keys: TpmKeys;
  beforeAll(async () => {
    tpm = await startSwtpm();
    keys = new TpmKeys(processRunner, tpm.env);
    h = await startSimHarness(fixture);
  });
  afterAll(async () => {
    await h?.stop();
    await tpm?.stop();
  });

  const enroll = async () => {
    const t = scriptedTestFrontEnd([() => creds({ USERID: 'alice', PASSWD: 'secret' })]);
    return runEnrollment({ provider: 'Demo', service: 'TPM' }, t.fe, h.deps({ tpmKeys: keys }));
  };

  it('generates the key in the TPM, enrolls in CSR mode and stores only a reference to the key', async () => {
    const outcome = await enroll();
    if (outcome.status !== 'issued') expect.fail(JSON.stringify(outcome));
    const dir = path.join(h.home, 'certs', outcome.sha256Fingerprint.toUpperCase());
    const files = (await fs.readdir(dir)).sort();
    expect(files).toEqual(['cert.pem', 'chain.pem', 'meta.json', 'tpm-key.json']);
    const { handle } = JSON.parse(await fs.readFile(path.join(dir, 'tpm-key.json'), 'utf8')) as { handle: string };
    // The key is in the TPM, born there and bound to it...
    const pub = await tpm.tpm2('tpm2_readpublic', ['-c', handle]);
    for (const a of ['fixedtpm', 'fixedparent', 'sensitivedataorigin']) expect(pub).toContain(a);
    // ...it is the certificate's key...
    const cert = new X509Certificate(await fs.readFile(path.join(dir, 'cert.pem'), 'utf8'));
    const tpmSpki = createPublicKey(await keys.publicPem({ handle })).export({ type: 'spki', format: 'der' });
    expect(cert.publicKey.export({ type: 'spki', format: 'der' }).equals(tpmSpki)).toBe(true);
    // ...and no private key exists anywhere in the agent home.
    expect(await keyFilesUnder(h.home)).toEqual([]);
    // The server saw a CSR (2.7.5), not a request for a server-generated key.
    const log = (await h.control('/log')) as { action?: string; fields: Record<string, string> }[];
    const certRequests = log.filter((e) => e.action === 'cert');
    expect(certRequests.at(-1)?.fields.csr).toMatch(/BEGIN CERTIFICATE REQUEST/);
    expect(certRequests.at(-1)?.fields.format).toBeUndefined();

    // certs --json says where the key lives.
    const run = await runCliCaptured(['certs', '--json'], { home: h.home });
    const listed = (JSON.parse(run.stdout) as { sha256Fingerprint: string; keyLocations?: string[] }[]).find(
      (c) => c.sha256Fingerprint === outcome.sha256Fingerprint.toUpperCase(),
    );
    expect(listed?.keyLocations).toEqual(['tpm']);
  });

  it('a second enrollment (renewal) rotates: a new TPM key at the next handle', async () => {
    const before = await keys.persistentHandles();
    const outcome = await enroll();
    expect(outcome.status).toBe('issued');
    const after = await keys.persistentHandles();
    expect(after.length).toBe(before.length + 1);
  });
});
