/**
 * Enrollment with a TPM-generated key (RCDP 2.6.1 auth-requirements use-tpm-vsc-authentication "yes", 2.7.3
 * csr-requirements, 2.7.5 cert from the client CSR) against the simulator and a real software TPM (swtpm).
 */
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';
import {
  reportSkip,
  startSwtpm,
  swtpmUnavailable,
  TPM2_PKCS11_MODULE,
  tpm2Pkcs11Unavailable,
  type SwTpm,
} from '../../test-support/hardware/index';
import { run } from '../../test-support/hardware/tools';
import { listCertificates } from '../agent/certificate-inventory';
import { runEnrollment } from '../engine/enroll';
import { createLogger, memorySink } from '../log/logger';
import { switchOver } from '../scheduler/replace-certificate';
import { createStores } from '../stores/registry';
import { processRunner } from '../system/command-runner';
import { MemorySecretStore } from '../system/secret-store';
import { TOKEN_LABEL, tokenPinsSecretName, TpmKeys } from './index';

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
const noPkcs11 = reportSkip('TPM key on the PKCS#11 token (tpm2-pkcs11)', noTpm ? 'no swtpm' : await tpm2Pkcs11Unavailable());

describe.skipIf(noTpm)('TPM key enrollment with swtpm', () => {
  let tpm: SwTpm;
  let h: SimHarness;
  let keys: TpmKeys;
  beforeAll(async () => {
    // tpm2-pkcs11 needs a resource manager as on a desktop (/dev/tpmrm0): tpm2-abrmd in front of swtpm.
    tpm = await startSwtpm({ resourceManager: !noPkcs11 });
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
    const ref = JSON.parse(await fs.readFile(path.join(dir, 'tpm-key.json'), 'utf8')) as {
      handle: string;
      wrapped: { public: string; private: string };
    };
    const handle = ref.handle;
    // The key's TPM-wrapped blobs are kept for the PKCS#11 token (tpm2_ptool link), 0600: a TPM2B_PUBLIC of the
    // same fixedTPM key and a private part only this TPM can load.
    expect((await fs.stat(path.join(dir, 'tpm-key.json'))).mode & 0o777).toBe(0o600);
    await fs.writeFile(path.join(tpm.dir, 'wrapped.pub'), Buffer.from(ref.wrapped.public, 'base64'));
    expect(await tpm.tpm2('tpm2_print', ['-t', 'TPM2B_PUBLIC', 'wrapped.pub'])).toMatch(/fixedtpm.*fixedparent/s);
    expect(Buffer.from(ref.wrapped.private, 'base64').length).toBeGreaterThan(100);
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
    const listed = (
      JSON.parse(run.stdout) as { certificates: { sha256Fingerprint: string; keyLocations?: string[] }[] }
    ).certificates.find((c) => c.sha256Fingerprint === outcome.sha256Fingerprint.toUpperCase());
    expect(listed?.keyLocations).toEqual(['tpm']);
  });

  it('a second enrollment (renewal) rotates: a new TPM key at the next handle', async () => {
    const before = await keys.persistentHandles();
    const outcome = await enroll();
    expect(outcome.status).toBe('issued');
    const after = await keys.persistentHandles();
    expect(after.length).toBe(before.length + 1);
  });

  it("renewals and removal evict the retired certificate's TPM key; an eviction failure is only logged", async () => {
    // The agent's wiring: the file store from the registry, with the TPM the keys are made in and a logger.
    const sink = memorySink();
    const log = createLogger(sink, 'debug');
    const stores = createStores({ home: h.home, enabled: ['file'], tpmKeys: keys, log });
    const deps = h.deps({ tpmKeys: keys, stores: () => stores });
    const enrollHere = async () => {
      const t = scriptedTestFrontEnd([() => creds({ USERID: 'alice', PASSWD: 'secret' })]);
      const outcome = await runEnrollment({ provider: 'Demo', service: 'TPM' }, t.fe, deps);
      if (outcome.status !== 'issued') expect.fail(JSON.stringify(outcome));
      return outcome.sha256Fingerprint.toUpperCase();
    };
    const handleOf = async (fp: string) =>
      (JSON.parse(await fs.readFile(path.join(h.home, 'certs', fp, 'tpm-key.json'), 'utf8')) as { handle: string }).handle;
    const baseline = (await keys.persistentHandles()).length;

    let current = await enrollHere();
    const afterFirst = (await keys.persistentHandles()).length;
    expect(afterFirst).toBe(baseline + 1);
    for (let i = 0; i < 3; i++) {
      const oldHandle = await handleOf(current);
      const renewed = await enrollHere();
      // The scheduler's switch-over (app/stores/replace.ts): the old certificate leaves the store...
      await switchOver(stores, { sha256Fingerprint: current, stores: ['file'] }, renewed, log);
      current = renewed;
      // ...and its key leaves the TPM: as many persistent handles as after the first enrollment.
      const handles = await keys.persistentHandles();
      expect(handles.length).toBe(afterFirst);
      expect(handles).not.toContain(parseInt(oldHandle, 16));
    }
    // The current certificate's key still works: it signs in the TPM, and it is the certificate's key.
    const handle = await handleOf(current);
    const csr = await keys.csr({ handle }, { cn: 'alice' }, [], 'sha256');
    expect(csr).toMatch(/BEGIN CERTIFICATE REQUEST/);
    const cert = new X509Certificate(await fs.readFile(path.join(h.home, 'certs', current, 'cert.pem'), 'utf8'));
    const tpmSpki = createPublicKey(await keys.publicPem({ handle })).export({ type: 'spki', format: 'der' });
    expect(cert.publicKey.export({ type: 'spki', format: 'der' }).equals(tpmSpki)).toBe(true);

    // Removal frees the handle too.
    await stores[0]!.remove(current);
    expect((await keys.persistentHandles()).length).toBe(baseline);
    expect(sink.lines.join('\n')).not.toMatch(/not evicted/);

    // A handle that is already gone (evicted by hand): the removal still succeeds, the failure is logged.
    const again = await enrollHere();
    const gone = await handleOf(again);
    await tpm.tpm2('tpm2_evictcontrol', ['-C', 'o', '-c', gone]);
    await stores[0]!.remove(again);
    expect(await stores[0]!.find({ sha256Fingerprint: again })).toEqual([]);
    expect(sink.lines.join('\n')).toMatch(new RegExp(`TPM key of a retired certificate not evicted.*${gone}`));
  });
  /** The file store and the shared NSS database of a fresh user home, wired as the agent wires them. */
  const nssSetUp = (name: string, modulePath?: string) => {
    const userHome = path.join(h.home, name);
    const storeDir = path.join(userHome, '.tpm2_pkcs11');
    const secrets = new MemorySecretStore();
    const sink = memorySink();
    const log = createLogger(sink, 'debug');
    const stores = createStores({
      home: h.home,
      userHome,
      enabled: ['file', 'nss'],
      tpmKeys: keys,
      secrets,
      log,
      tpm2Pkcs11: { env: tpm.env, ...(modulePath ? { modulePath } : {}) },
    });
    const deps = h.deps({ tpmKeys: keys, stores: () => stores });
    const enrollHere = async () => {
      const t = scriptedTestFrontEnd([() => creds({ USERID: 'alice', PASSWD: 'secret' })]);
      const outcome = await runEnrollment({ provider: 'Demo', service: 'TPM' }, t.fe, deps);
      if (outcome.status !== 'issued') expect.fail(JSON.stringify(outcome));
      return outcome.sha256Fingerprint.toUpperCase();
    };
    const db = `sql:${path.join(userHome, '.pki', 'nssdb')}`;
    return { userHome, storeDir, secrets, sink, log, stores, deps, enrollHere, db };
  };

  it.skipIf(noPkcs11)(
    'with the tpm2-pkcs11 module: the key and certificate are on the TPM token in NSS, sign there; renewal replaces them',
    async () => {
      const { userHome, storeDir, secrets, sink, log, stores, deps, enrollHere, db } = nssSetUp('user-p11');
      const fp = await enrollHere();
      expect(sink.lines.filter((l) => /PKCS#11 token/.test(l))).toEqual([]); // the warning's error shows if it fails
      // No private key file anywhere: not in the agent home, the user's NSS database or the tpm2-pkcs11 store.
      expect(await keyFilesUnder(h.home)).toEqual([]);
      // The user PIN is empty (no "KeyTalk" password for the user to know); the secret store keeps the SO PIN only.
      const pinsSecret = async () => JSON.parse((await secrets.get(tokenPinsSecretName(storeDir)))!) as Record<string, string>;
      const { so } = await pinsSecret();
      expect(await pinsSecret()).toEqual({ so: expect.stringMatching(/^[\w-]{24}$/) });
      // The module is registered in the database, and NSS lists the certificate on the token with its key, with no
      // password (no -f: certutil would ask for the token's password on stdin, which is empty, and fail).
      const env = { ...tpm.env, TPM2_PKCS11_STORE: storeDir };
      const certutil = async (args: string[]) => (await run('certutil', ['-d', db, ...args], { env })).stdout;
      expect(await certutil(['-L', '-h', TOKEN_LABEL])).toMatch(new RegExp(`${TOKEN_LABEL}:${fp}\\s+u,u,u`));
      expect(await certutil(['-K', '-h', TOKEN_LABEL])).toMatch(new RegExp(`rsa\\s+\\S+\\s+${fp}`));
      // A signature made through PKCS#11 (in the TPM), without a login, verifies with the certificate's public key.
      const data = path.join(userHome, 'data.txt');
      await fs.writeFile(data, 'signed by the TPM through PKCS#11');
      const sigFile = path.join(userHome, 'data.sig');
      await run(
        'pkcs11-tool',
        [
          ...['--module', TPM2_PKCS11_MODULE, '--token-label', TOKEN_LABEL],
          ...['--sign', '-m', 'SHA256-RSA-PKCS', '--label', fp, '-i', data, '-o', sigFile],
        ],
        { env },
      );
      const cert = new X509Certificate(await fs.readFile(path.join(h.home, 'certs', fp, 'cert.pem'), 'utf8'));
      expect(verify('sha256', await fs.readFile(data), cert.publicKey, await fs.readFile(sigFile))).toBe(true);
      // The store says so: the key lives in the TPM, reached through the token.
      const nss = stores.find((s) => s.id === 'nss')!;
      expect((await nss.find({ sha256Fingerprint: fp }))[0]).toMatchObject({
        hasPrivateKey: true,
        keyLocation: 'tpm',
        pkcs11Token: TOKEN_LABEL,
      });
      const cli = await runCliCaptured(['certs', '--json'], {
        home: h.home,
        env: { HOME: userHome, TPM2_PKCS11_STORE: storeDir, ...tpm.env },
      });
      const listed = (
        JSON.parse(cli.stdout) as {
          certificates: { sha256Fingerprint: string; keyLocations?: string[]; pkcs11Tokens?: string[] }[];
        }
      ).certificates.find((c) => c.sha256Fingerprint === fp);
      expect(listed).toMatchObject({ keyLocations: ['tpm'], pkcs11Tokens: [TOKEN_LABEL] });
      // The UI's list (certs:list) says the same.
      const card = (await listCertificates(deps, log)).find((c) => c.sha256Fingerprint === fp);
      expect(card).toMatchObject({ stores: ['file', 'nss'], keyLocations: ['tpm'], pkcs11Tokens: [TOKEN_LABEL] });

      // A token from before the user PIN was empty (a generated PIN, kept in the secret store): NSS wants a password.
      const oldPin = '-generated-user-pin';
      await run('tpm2_ptool', ['changepin', '--label', TOKEN_LABEL, '--old=', `--new=${oldPin}`, '--path', storeDir], { env });
      await secrets.set(tokenPinsSecretName(storeDir), JSON.stringify({ user: oldPin, so }));
      await expect(certutil(['-K', '-h', TOKEN_LABEL])).rejects.toThrow();

      // Renewal: the new key and certificate replace the old ones on the token, whose user PIN is made empty again.
      const renewed = await enrollHere();
      await switchOver(stores, { sha256Fingerprint: fp, stores: ['file', 'nss'] }, renewed, log);
      expect(await pinsSecret()).toEqual({ so });
      expect(await certutil(['-K', '-h', TOKEN_LABEL])).toMatch(new RegExp(`rsa\\s+\\S+\\s+${renewed}`));
      const onToken = await certutil(['-L', '-h', TOKEN_LABEL]);
      expect(onToken).toContain(`${TOKEN_LABEL}:${renewed}`);
      expect(onToken).not.toContain(fp);
      const objects = await run('pkcs11-tool', ['--module', TPM2_PKCS11_MODULE, '--token-label', TOKEN_LABEL, '-O'], { env });
      // Certificate, private and public key, all under the new fingerprint (listed without a login too).
      expect([...objects.stdout.matchAll(/label: +(\S+)/g)].map((m) => m[1])).toEqual(Array(3).fill(renewed));
      // The module was registered once, not once per certificate.
      const pkcs11Txt = await fs.readFile(path.join(userHome, '.pki', 'nssdb', 'pkcs11.txt'), 'utf8');
      expect(pkcs11Txt.split(`library=${TPM2_PKCS11_MODULE}`).length).toBe(2);
    },
  );

  it('without the tpm2-pkcs11 module the NSS database gets the certificate only; the file store says the key is in the TPM', async () => {
    const { userHome, stores, enrollHere } = nssSetUp('user-no-p11', path.join(h.home, 'missing', 'libtpm2_pkcs11.so'));
    const fp = await enrollHere();
    const nss = stores.find((s) => s.id === 'nss')!;
    expect((await nss.find({ sha256Fingerprint: fp }))[0]).toMatchObject({ hasPrivateKey: false });
    expect((await nss.find({ sha256Fingerprint: fp }))[0]?.pkcs11Token).toBeUndefined();
    expect((await stores[0]!.find({ sha256Fingerprint: fp }))[0]).toMatchObject({ hasPrivateKey: true, keyLocation: 'tpm' });
    // Nothing was set up for PKCS#11: no token store, no module in the database.
    expect(await fs.stat(path.join(userHome, '.tpm2_pkcs11')).catch(() => undefined)).toBeUndefined();
    expect(await fs.readFile(path.join(userHome, '.pki', 'nssdb', 'pkcs11.txt'), 'utf8')).not.toMatch(/libtpm2_pkcs11/);
    for (const s of stores) await s.remove(fp);
  });
});
