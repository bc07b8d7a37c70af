/**
 * TPM keys on Windows through the Microsoft Platform Crypto Provider (RCDP 2.6.1 auth-requirements
 * use-tpm-vsc-authentication "yes", 2.7.3 csr-requirements, 2.7.5 cert from the client CSR). certreq, certutil and
 * PowerShell cannot run here: a fake Windows answers them and the test asserts the exact argv, INF text and scripts.
 * The simulator is real: it signs the CSR the fake certreq made, and the fake certreq -accept binds only a
 * certificate whose public key is that of a pending request in the same context (-user / -machine), as Windows does.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { promises as fs, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';
import { buildCsr, type CsrSubject } from '../crypto/csr';
import { runEnrollment } from '../engine/enroll';
import { FileStore } from '../stores/file-store';
import { keyLocationOf } from '../stores/store';
import { decodePsScript, KEY_PROVIDER, WindowsStore } from '../stores/windows-store';
import { RecordingRunner, type CommandSpec } from '../system/command-runner';
import { lazyTpmKeys } from '../agent/engine-deps';
import type { AgentScope } from '../config/scope';
import { pcpInf, PlatformCryptoKeys, PLATFORM_CRYPTO_PROVIDER } from './windows-pcp';

const ok = (stdout = '') => ({ code: 0, stdout, stderr: '' });
const thumb = (der: Buffer) => new X509Certificate(der).fingerprint.replace(/:/g, '');
const spkiOf = (pem: string) => new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

/** "E=a, CN=b, O=c, C=NL" (certreq's order, most specific first) back into CSR fields; values quoted as CertStrToName reads them. */
function parseCertreqSubject(s: string): CsrSubject {
  const out: CsrSubject = {};
  const keys: Record<string, keyof CsrSubject> = { E: 'e', CN: 'cn', O: 'o', L: 'l', S: 'st', C: 'c' };
  for (const m of s.matchAll(/(\w+)=("(?:[^"]|"")*"|[^,]*)(?:,\s*|$)/g)) {
    const v = m[2]!.startsWith('"') ? m[2]!.slice(1, -1).replace(/""/g, '"') : m[2]!;
    if (m[1] === 'OU') out.ous = [v, ...(out.ous ?? [])];
    else if (keys[m[1]!]) (out as Record<string, string>)[keys[m[1]!]!] = v;
  }
  return out;
}

/**
 * Plays Windows: certreq -new reads the INF and makes a key (kept here, as the TPM would) and a CSR signed by it;
 * certreq -accept binds a certificate to the pending request with its public key; certutil -delkey deletes a key;
 * PowerShell lists My (with the key provider) and sets the friendly name. Each of these works in one context: the
 * user's (-user, CurrentUser) or the machine's (-machine / certutil without -user, LocalMachine), and a request made
 * in one is not found from the other.
 */
function fakeWindows(o: { noTpm?: boolean } = {}) {
  const pending = new Map<string, { container: string; spki: string; location: string }>();
  const keys = new Set<string>();
  const my: { der: Buffer; friendly: string; provider: string; location: string }[] = [];
  const locationOf = (flag: string | undefined) => ({ '-user': 'CurrentUser', '-machine': 'LocalMachine' })[flag ?? ''];
  const infs: string[] = [];
  const accepted: string[] = [];
  const scripts: string[] = [];
  const runner = new RecordingRunner((spec: CommandSpec) => {
    const a = spec.args;
    if (spec.command === 'certreq.exe' && a[0] === '-new') {
      const raw = readFileSync(a[3]!);
      expect([...raw.subarray(0, 2)]).toEqual([0xff, 0xfe]); // UTF-16LE BOM
      const inf = raw.subarray(2).toString('utf16le');
      infs.push(inf);
      if (o.noTpm) {
        const msg =
          'Certificate Request Processor: The device that is required by this cryptographic provider is not ready for use. 0x80090030 (-2146893776 NTE_DEVICE_NOT_READY)';
        return { code: -2146893776, stdout: msg, stderr: '' };
      }
      const val = (k: string) => new RegExp(`^${k} = "?(.*?)"?$`, 'm').exec(inf)?.[1];
      expect(val('ProviderName')).toBe(PLATFORM_CRYPTO_PROVIDER);
      expect(val('Exportable')).toBe('FALSE');
      const container = val('KeyContainer')!;
      // The INF's key set and the command's context must agree (the key and its pending request live together).
      const location = locationOf(a[2]);
      expect(location).toBeDefined();
      expect(val('MachineKeySet')).toBe(location === 'LocalMachine' ? 'TRUE' : 'FALSE');
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: Number(val('KeyLength')) });
      const san = [...inf.matchAll(/^_continue_ = "(\w+)=([^&]+)&"$/gm)].map(
        (m) => `${{ email: 'email', dns: 'DNS', ipaddress: 'IP', url: 'URI' }[m[1]!]}:${m[2]}`,
      );
      const csr = buildCsr({
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        subject: parseCertreqSubject(val('Subject')!.replace(/""/g, '"')),
        san,
        signingAlgo: val('HashAlgorithm'),
      });
      writeFileSync(a[4]!, csr.replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST').replace(/\n/g, '\r\n'));
      const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
      pending.set(spki, { container, spki, location: location! });
      keys.add(`${location}:${container}`);
      return ok('CertReq: Request Created\r\n');
    }
    if (spec.command === 'certreq.exe' && a[0] === '-accept') {
      const pem = readFileSync(a[3]!, 'utf8');
      accepted.push(pem);
      const req = pending.get(spkiOf(pem));
      if (!req || req.location !== locationOf(a[2]))
        return { code: 1, stdout: 'Cannot find object or property. 0x80092004 (-2146885628 CRYPT_E_NOT_FOUND)', stderr: '' };
      pending.delete(req.spki);
      my.push({ der: new X509Certificate(pem).raw, friendly: '', provider: PLATFORM_CRYPTO_PROVIDER, location: req.location });
      return ok('Installed Certificate:\r\n');
    }
    if (spec.command === 'certutil.exe') {
      const name = `${a[0] === '-user' ? 'CurrentUser' : 'LocalMachine'}:${a[a.length - 1]!}`;
      if (!keys.delete(name))
        return { code: 1, stdout: 'Keyset does not exist 0x80090016 (-2146893802 NTE_BAD_KEYSET)', stderr: '' };
      return ok();
    }
    if (spec.command === 'powershell.exe') {
      const script = decodePsScript(a).replace(/^.*?UTF8; /, '');
      scripts.push(script);
      if (script.startsWith('Get-ChildItem')) {
        const location = /^Get-ChildItem -Path 'Cert:\\(\w+)\\My'/.exec(script)?.[1];
        return ok(
          JSON.stringify(
            my
              .filter((c) => c.location === location)
              .map((c) => ({
                Thumbprint: thumb(c.der),
                FriendlyName: c.friendly,
                HasPrivateKey: true,
                RawData: c.der.toString('base64'),
                KeyProvider: c.provider,
              })),
          ),
        );
      }
      const item = /^\$cert = Get-Item -Path 'Cert:\\(\w+)\\My\\([0-9A-F]{40})'; \$cert\.FriendlyName = '((?:[^']|'')*)'/.exec(
        script,
      );
      const c = item && my.find((m) => m.location === item[1] && thumb(m.der) === item[2]);
      if (!c) return { code: 1, stdout: '', stderr: `unexpected script: ${script}` };
      c.friendly = item[3]!.replace(/''/g, "'");
      return ok(`${thumb(c.der)}\r\n`);
    }
    return { code: 1, stdout: '', stderr: `unexpected command ${spec.command} ${a.join(' ')}` };
  });
  return { runner, pending, keys, my, infs, accepted, scripts };
}

describe('certreq INF and commands for a Platform Crypto Provider key', () => {
  it('writes the INF Windows admins write: PCP, non-exportable, key size, hash, subject and SAN', () => {
    const inf = pcpInf({
      container: 'KeyTalk-1',
      keySet: 'user',
      keySize: 2048,
      subject: { cn: 'Zoë "Z" Müller, jr', o: 'KeyTalk Demo', ous: ['Sales', 'EU'], c: 'nl', e: 'zoe@keytalk.test' },
      san: ['email:zoe@keytalk.test', 'DNS:host.keytalk.test', 'IP:10.0.0.1', 'URI:https://keytalk.test/z'],
      digest: 'sha384',
    });
    expect(inf.split('\r\n')).toEqual([
      '[Version]',
      'Signature = "$Windows NT$"',
      '',
      '[NewRequest]',
      'Subject = "E=zoe@keytalk.test, CN=""Zoë """"Z"""" Müller, jr"", OU=EU, OU=Sales, O=KeyTalk Demo, C=NL"',
      'ProviderName = "Microsoft Platform Crypto Provider"',
      'KeyContainer = "KeyTalk-1"',
      'KeyAlgorithm = RSA',
      'KeyLength = 2048',
      'HashAlgorithm = sha384',
      'Exportable = FALSE',
      'MachineKeySet = FALSE',
      'KeyUsage = 0xa0',
      'RequestType = PKCS10',
      'SMIME = FALSE',
      'Silent = TRUE',
      '',
      '[Extensions]',
      '2.5.29.17 = "{text}"',
      '_continue_ = "email=zoe@keytalk.test&"',
      '_continue_ = "dns=host.keytalk.test&"',
      '_continue_ = "ipaddress=10.0.0.1&"',
      '_continue_ = "url=https://keytalk.test/z&"',
      '',
    ]);
    expect(
      pcpInf({ container: 'K', keySet: 'machine', keySize: 3072, subject: { cn: 'm' }, san: [], digest: 'sha256' }),
    ).toContain('MachineKeySet = TRUE\r\n');
    expect(() =>
      pcpInf({ container: 'K', keySet: 'user', keySize: 2048, subject: {}, san: ['DNS:a&b'], digest: 'sha256' }),
    ).toThrow(/SAN entry "DNS:a&b" cannot be requested/);
    // A line break in a subject value (a typed CN, a server's csr-requirements) would add INF keys of its own.
    for (const cn of ['alice"\r\nExportable = TRUE', 'alice\nProviderName = "Microsoft Software Key Storage Provider"'])
      expect(() => pcpInf({ container: 'K', keySet: 'user', keySize: 2048, subject: { cn }, san: [], digest: 'sha256' })).toThrow(
        /holds a control character/,
      );
  });

  it('runs certreq -new in the key set asked for, and deletes the key with certutil -delkey', async () => {
    const win = fakeWindows();
    const keys = new PlatformCryptoKeys({ runner: win.runner, newName: () => 'KeyTalk-m' });
    const key = await keys.createKey(2048);
    expect(key).toEqual({ handle: 'KeyTalk-m', keySet: 'user' });
    const csr = await keys.csr(key, { cn: 'alice' }, [], 'sha256');
    expect(csr).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE REQUEST-----\n$/);
    const newCall = win.runner.calls[0]!;
    expect([newCall.command, ...newCall.args.slice(0, 3)]).toEqual(['certreq.exe', '-new', '-q', '-user']);
    expect(newCall.args.slice(3).map((f) => path.basename(f))).toEqual(['request.inf', 'request.req']);
    await fs.access(path.dirname(newCall.args[3]!)).then(
      () => expect.fail('the INF folder was left behind'),
      () => undefined,
    );
    expect(await keys.publicPem(key)).toMatch(/BEGIN PUBLIC KEY/);
    await keys.remove(key);
    expect(win.runner.calls.at(-1)).toMatchObject({
      command: 'certutil.exe',
      args: ['-user', '-csp', 'Microsoft Platform Crypto Provider', '-delkey', 'KeyTalk-m'],
    });
    expect(win.keys.size).toBe(0);
    const machine = new PlatformCryptoKeys({ runner: win.runner, keySet: 'machine', newName: () => 'KeyTalk-n' });
    await machine.csr(await machine.createKey(2048), { cn: 'host' }, [], 'sha256');
    expect(win.runner.calls.at(-1)!.args.slice(0, 3)).toEqual(['-new', '-q', '-machine']);
    await machine.remove({ handle: 'KeyTalk-n' });
    expect(win.runner.calls.at(-1)!.args).toEqual(['-csp', 'Microsoft Platform Crypto Provider', '-delkey', 'KeyTalk-n']);
    await expect(keys.createKey(1000)).rejects.toThrow(/cannot make an RSA key of 1000 bits/);
  });

  it('no TPM (NTE_DEVICE_NOT_READY 0x80090030): a sentence naming the fix', async () => {
    const keys = new PlatformCryptoKeys({ runner: fakeWindows({ noTpm: true }).runner });
    await expect(keys.csr(await keys.createKey(2048), { cn: 'a' }, [], 'sha256')).rejects.toThrow(
      /^Windows found no usable TPM \(.*0x80090030.*\); turn the TPM on in the firmware \(UEFI\) settings and check that tpm\.msc says "The TPM is ready for use"/,
    );
  });
});

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

describe('TPM key enrollment on Windows (fake certreq/PowerShell, real simulator)', () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSimHarness(fixture);
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** The INF certreq gets for the fixture's service (2.7.3 csr-requirements: its subject and SAN), per key set. */
  const expectedInf = (machineKeySet: 'TRUE' | 'FALSE') =>
    [
      '[Version]',
      'Signature = "$Windows NT$"',
      '',
      '[NewRequest]',
      'Subject = "CN=alice, O=KeyTalk Demo, C=NL"',
      'ProviderName = "Microsoft Platform Crypto Provider"',
      'KeyContainer = "KeyTalk-e2e"',
      'KeyAlgorithm = RSA',
      'KeyLength = 2048',
      'HashAlgorithm = sha256',
      'Exportable = FALSE',
      `MachineKeySet = ${machineKeySet}`,
      'KeyUsage = 0xa0',
      'RequestType = PKCS10',
      'SMIME = FALSE',
      'Silent = TRUE',
      '',
      '[Extensions]',
      '2.5.29.17 = "{text}"',
      '_continue_ = "email=alice@keytalk.test&"',
      '',
    ].join('\r\n');

  // The agent's own wiring (lazyTpmKeys, as createEngineDeps builds it from the scope) with a fake Windows runner:
  // user scope (tray, CLI, per-user daemon) → CurrentUser\My; machine scope (--system daemon) → LocalMachine\My.
  it.each([
    { scope: 'user' as AgentScope, location: 'CurrentUser' as const, flag: '-user', machineKeySet: 'FALSE' as const },
    { scope: 'machine' as AgentScope, location: 'LocalMachine' as const, flag: '-machine', machineKeySet: 'TRUE' as const },
  ])(
    '$scope scope: certreq -new $flag makes the key and CSR, the simulator signs it, certreq -accept $flag binds it in $location\\My',
    async ({ scope, location, flag, machineKeySet }) => {
      const win = fakeWindows();
      // Pinned container name (the product's is KeyTalk-<random UUID>) so the INF can be asserted whole.
      const tpmKeys = lazyTpmKeys('win32', scope, { runner: win.runner, newName: () => 'KeyTalk-e2e' });
      const file = new FileStore(path.join(h.home, 'certs'));
      const windows = new WindowsStore({ runner: win.runner, location, tmpDir: h.tmp });
      const t = scriptedTestFrontEnd([() => creds({ USERID: 'alice', PASSWD: 'secret' })]);
      const outcome = await runEnrollment(
        { provider: 'Demo', service: 'TPM' },
        t.fe,
        h.deps({
          tpmKeys,
          stores: () => [file, windows],
        }),
      );
      if (outcome.status !== 'issued') expect.fail(JSON.stringify(outcome));

      // The INF named the server's subject and SAN (2.7.3 csr-requirements), the PCP and the scope's key set.
      expect(win.infs).toEqual([expectedInf(machineKeySet)]);
      const created = win.runner.calls.find((c) => c.args[0] === '-new')!;
      expect(created.command).toBe('certreq.exe');
      expect(created.args.map((a, i) => (i >= 3 ? path.basename(a) : a))).toEqual([
        '-new',
        '-q',
        flag,
        'request.inf',
        'request.req',
      ]);
      // The issued certificate was accepted onto the pending request in the same context, then named.
      expect(win.pending.size).toBe(0);
      const accept = win.runner.calls.find((c) => c.args[0] === '-accept')!;
      expect(accept.command).toBe('certreq.exe');
      expect(accept.args.map((a, i) => (i === 3 ? path.basename(a) : a))).toEqual(['-accept', '-q', flag, 'issued.cer']);
      const fp = outcome.sha256Fingerprint.toUpperCase();
      const certPem = await fs.readFile(path.join(h.home, 'certs', fp, 'cert.pem'), 'utf8');
      expect(win.accepted).toEqual([certPem]);
      expect(win.my.map((c) => c.location)).toEqual([location]);
      const sha1 = thumb(new X509Certificate(certPem).raw);
      const named = win.scripts.find((s) => s.startsWith('$cert'))!;
      const ca = (i: number) =>
        `Import-Certificate -FilePath '${path.join(h.tmp, 'keytalk-win-RAND', `ca${i}.cer`)}' -CertStoreLocation 'Cert:\\${location}\\CA' | Out-Null`;
      expect(named.replace(/keytalk-win-\w+/g, 'keytalk-win-RAND')).toBe(
        `$cert = Get-Item -Path 'Cert:\\${location}\\My\\${sha1}'; $cert.FriendlyName = 'Demo TPM'; ${ca(0)}; ${ca(1)}; $cert.Thumbprint`,
      );
      expect(win.scripts.find((s) => s.startsWith('Get-ChildItem'))).toContain(KEY_PROVIDER);

      // Both stores say the key is in the TPM; the file store keeps the key's name, and no key file exists.
      const inWindows = (await windows.list()).find((c) => c.sha256Fingerprint === fp)!;
      expect(keyLocationOf(inWindows)).toBe('tpm');
      const inFile = (await file.list()).find((c) => c.sha256Fingerprint === fp)!;
      expect(keyLocationOf(inFile)).toBe('tpm');
      expect(JSON.parse(await fs.readFile(path.join(h.home, 'certs', fp, 'tpm-key.json'), 'utf8'))).toEqual({
        handle: 'KeyTalk-e2e',
      });
      const files = await fs.readdir(h.home, { recursive: true });
      expect(files.filter((f) => /key\.pem$|\.p12$/.test(f))).toEqual([]);

      // The key is deleted from the key set it was made in (a renewal's or removal's clean-up).
      await tpmKeys.remove({ handle: 'KeyTalk-e2e' });
      expect(win.runner.calls.at(-1)).toMatchObject({
        command: 'certutil.exe',
        args: [...(scope === 'user' ? ['-user'] : []), '-csp', PLATFORM_CRYPTO_PROVIDER, '-delkey', 'KeyTalk-e2e'],
      });
      expect(win.keys.size).toBe(0);
    },
  );

  it('a certificate whose request is not pending (another user) is refused with the fix', async () => {
    const win = fakeWindows();
    const windows = new WindowsStore({ runner: win.runner, tmpDir: h.tmp });
    const certPem = (await fs.readdir(path.join(h.home, 'certs'))).find((d) => /^[0-9A-F]{64}$/.test(d))!;
    const pem = await fs.readFile(path.join(h.home, 'certs', certPem, 'cert.pem'), 'utf8');
    const bundle = { certPem: pem, chainPem: [], label: 'x', tpmKey: { handle: 'KeyTalk-e2e', keySet: 'user' as const } };
    await expect(windows.add(bundle)).rejects.toThrow(
      /no pending request for this certificate's TPM key in CurrentUser.*enroll again/,
    );
    const machine = new WindowsStore({ runner: win.runner, location: 'LocalMachine', tmpDir: h.tmp });
    await expect(machine.add(bundle)).rejects.toThrow(/made for the current user, so it cannot be installed in LocalMachine\\My/);
  });
});
