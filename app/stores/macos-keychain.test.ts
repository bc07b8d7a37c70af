import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordingRunner, type CommandSpec } from '../system/command-runner';
import { certFactsFromPem } from './cert-summary';
import { MacKeychainStore, parseFindCertificate, parseFindIdentity, securityQuote } from './macos-keychain';
import { TestPki } from '../../test-support/stores/test-pki';

const fixtures = path.join(__dirname, '../../test-support/stores/fixtures');
const pki = new TestPki('Mac Test');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'macstore-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ok = (stdout = '') => ({ code: 0, stdout, stderr: '' });
const hex = (s: string) => s.replace(/:/g, '');
const LOGIN = '/Users/zoe/Library/Keychains/login.keychain-db';

/** Splits a `security -i` command line the way security's own parser does (double quotes, backslash escapes). */
function splitInteractive(line: string): string[] {
  return [...line.matchAll(/"((?:\\.|[^"\\])*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!));
}

/** Plays macOS `security` for one keychain: find-certificate/find-identity output from its state, imports checked. */
function fakeSecurity(keychain = LOGIN) {
  const certs: { der: Buffer; key: boolean; trusted?: boolean }[] = [];
  const seen: { args: string[]; input?: string; p12Mode?: number; p12Info?: string }[] = [];
  const runner = new RecordingRunner((spec: CommandSpec) => {
    expect(spec.command).toBe('/usr/bin/security');
    const input = typeof spec.input === 'string' ? spec.input : undefined;
    seen.push({ args: spec.args, input });
    const [cmd, ...rest] = spec.args;
    const x = (d: Buffer) => new X509Certificate(d);
    if (cmd === 'find-certificate') {
      expect(rest).toEqual(['-a', '-Z', '-p', keychain]);
      return ok(
        certs
          .map(
            (c) =>
              `SHA-256 hash: ${hex(x(c.der).fingerprint256)}\nSHA-1 hash: ${hex(x(c.der).fingerprint)}\n${x(c.der).toString()}`,
          )
          .join(''),
      );
    }
    if (cmd === 'find-identity') {
      expect(rest).toEqual([keychain]);
      const ids = certs.filter((c) => c.key).map((c, i) => `  ${i + 1}) ${hex(x(c.der).fingerprint)} "${x(c.der).subject}"`);
      return ok(`\nPolicy: X.509 Basic\n  Matching identities\n${ids.join('\n')}\n     ${ids.length} identities found\n\n`);
    }
    if (cmd === '-i') {
      const words = splitInteractive(input!.trim());
      expect(words[0]).toBe('import');
      expect(words.slice(2, 7)).toEqual(['-k', keychain, '-f', 'pkcs12', '-P']);
      const [p12, password] = [words[1]!, words[7]!];
      const info = execFileSync('sh', ['-c', 'openssl pkcs12 -legacy -info -in "$1" -passin stdin -nodes 2>&1', 'sh', p12], {
        input: password,
        encoding: 'utf8',
      });
      seen[seen.length - 1]!.p12Mode = statSync(p12).mode & 0o777;
      seen[seen.length - 1]!.p12Info = info;
      certs.push({
        der: new X509Certificate(info.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)![0]).raw,
        key: true,
      });
      return ok('security> ');
    }
    if (cmd === 'add-certificates' || cmd === 'add-trusted-cert') {
      for (const f of rest.filter((a) => a.endsWith('.pem')))
        certs.push({ der: x(readFileSync(f)).raw, key: false, trusted: cmd === 'add-trusted-cert' });
      return ok();
    }
    if (cmd === 'delete-identity' || cmd === 'delete-certificate') {
      const i = certs.findIndex((c) => hex(x(c.der).fingerprint) === rest[1]);
      certs.splice(i, 1);
      return ok();
    }
    throw new Error(`unexpected: ${spec.args.join(' ')}`);
  });
  return { runner, seen, certs };
}

describe('MacKeychainStore listing (recorded security output)', () => {
  it('parses find-certificate -a -Z -p and find-identity: hashes agree, keys and labels found', async () => {
    const fc = readFileSync(path.join(fixtures, 'macos-find-certificate.txt'), 'utf8');
    const fi = readFileSync(path.join(fixtures, 'macos-find-identity.txt'), 'utf8');
    const runner = new RecordingRunner((spec) => ok(spec.args[0] === 'find-certificate' ? fc : fi));
    const list = await new MacKeychainStore({ runner, userHome: '/Users/zoe' }).list();
    const parsed = parseFindCertificate(fc);
    expect(list).toHaveLength(4);
    expect(list.map((c) => c.sha256Fingerprint)).toEqual(parsed.map((p) => p.sha256));
    expect(list.map((c) => c.sha1Fingerprint)).toEqual(parsed.map((p) => p.sha1));
    expect(list.map((c) => [c.label, c.hasPrivateKey])).toEqual([
      ['Zoë Müller 日本', true],
      ['plain user', true],
      ['Jürgen no key', false],
      ['Fixture Issuing CA', false],
    ]);
    expect(list[0]!.subject).toBe('CN=Zoë Müller 日本, O=Exämple AG');
    expect(runner.calls.map((c) => c.args)).toEqual([
      ['find-certificate', '-a', '-Z', '-p', LOGIN],
      ['find-identity', LOGIN],
    ]);
    expect(parseFindIdentity(fi)).toHaveLength(2);
  });

  it('parses the older output with SHA-1 lines only', () => {
    const pem = pki.root.pem;
    const out = parseFindCertificate(`SHA-1 hash: ${hex(new X509Certificate(pem).fingerprint)}\n${pem}`);
    expect(out).toEqual([{ sha1: hex(new X509Certificate(pem).fingerprint), sha256: undefined, pem: pem.trimEnd() + '\n' }]);
  });
});

describe('MacKeychainStore add/remove (commands asserted)', () => {
  it('imports through `security -i` so the password is on stdin, never in argv; legacy P12, 0600, deleted after', async () => {
    const { runner, seen } = fakeSecurity();
    const store = new MacKeychainStore({ runner, userHome: '/Users/zoe', tmpDir: tmp });
    const b = pki.bundle('Zoë Mac 日本');
    const stored = await store.add(b);
    expect(stored).toMatchObject({
      storeId: 'macos-login',
      sha256Fingerprint: certFactsFromPem(b.certPem).sha256Fingerprint,
      hasPrivateKey: true,
    });
    const imp = seen.find((s) => s.args[0] === '-i')!;
    expect(imp.args).toEqual(['-i']);
    const words = splitInteractive(imp.input!.trim());
    const password = words[7]!;
    for (const c of runner.calls) expect(c.args.join(' ')).not.toContain(password);
    expect(imp.input).toBe(
      `${['import', words[1]!, '-k', LOGIN, '-f', 'pkcs12', '-P', password].map(securityQuote).join(' ')}\n`,
    );
    expect(imp.p12Mode).toBe(0o600);
    expect(imp.p12Info).toContain('pbeWithSHA1And3-KeyTripleDES-CBC');
    expect(existsSync(path.dirname(words[1]!))).toBe(false);
    const addCa = seen.find((s) => s.args[0] === 'add-certificates')!;
    expect(addCa.args.slice(0, 3)).toEqual(['add-certificates', '-k', LOGIN]);
    expect(addCa.args.slice(3).map((f) => path.basename(f))).toEqual(['ca0.pem', 'ca1.pem']);
    expect(seen.some((s) => s.args[0] === 'add-trusted-cert')).toBe(false);
  });

  it('trusts the root in the System keychain only when asked (admin domain), and removes by SHA-1', async () => {
    const sys = '/Library/Keychains/System.keychain';
    const { runner, seen } = fakeSecurity(sys);
    const store = new MacKeychainStore({ runner, keychain: 'system', tmpDir: tmp });
    expect(store.id).toBe('macos-system');
    const stored = await store.add(pki.bundle('System Mac'), { trustRoot: true });
    const trusted = seen.find((s) => s.args[0] === 'add-trusted-cert')!;
    expect(trusted.args.slice(0, 6)).toEqual(['add-trusted-cert', '-d', '-r', 'trustRoot', '-k', sys]);
    expect(path.basename(trusted.args[6]!)).toBe('ca1.pem');
    await store.remove(stored.sha256Fingerprint);
    expect(seen.map((s) => s.args)).toContainEqual(['delete-identity', '-Z', stored.sha1Fingerprint, sys]);
    const ca = (await store.list()).find((c) => !c.hasPrivateKey)!;
    await store.remove(ca.sha256Fingerprint);
    expect(seen.map((s) => s.args)).toContainEqual(['delete-certificate', '-Z', ca.sha1Fingerprint, sys]);
  });

  it('turns a failed interactive import and a refused System keychain change into clear errors', async () => {
    const failing = new RecordingRunner((spec) =>
      spec.args[0] === '-i'
        ? {
            code: 0,
            stdout: 'security> ',
            stderr: 'security: SecKeychainItemImport: MAC verification failed during PKCS12 import (wrong password?)',
          }
        : ok(''),
    );
    await expect(
      new MacKeychainStore({ runner: failing, userHome: '/Users/zoe', tmpDir: tmp }).add(pki.bundle('x')),
    ).rejects.toThrow(/could not read the PKCS#12.*legacy/);
    const denied = new RecordingRunner(() => ({
      code: 1,
      stdout: '',
      stderr: 'SecTrustSettingsSetTrustSettings: The authorization was denied since no user interaction was possible.',
    }));
    await expect(new MacKeychainStore({ runner: denied, keychain: 'system' }).list()).rejects.toThrow(/refused.*administrator/);
  });

  it('quotes arguments for security -i', () => {
    expect(securityQuote('/tmp/a b/"x"\\y')).toBe('"/tmp/a b/\\"x\\"\\\\y"');
  });
});
