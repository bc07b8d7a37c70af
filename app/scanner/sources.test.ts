import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePsScript } from '../stores/windows-store';
import { processRunner, RecordingRunner } from '../system/command-runner';
import { inspectCertificate } from './classify';
import { FolderSource } from './folder-source';
import { LinuxSystemCaSource, MacKeychainSource, NssSource, WindowsSource } from './store-sources';
import { makeKey, purposeMix, type TestKey } from '../../test-support/scanner/test-certs';

let tmp: string;
let key: TestKey;
let mix: ReturnType<typeof purposeMix>;
const fp = (der: Buffer) => inspectCertificate(der).sha256;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kt-scan-src-'));
  key = makeKey();
  mix = purposeMix(key, 'src');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('FolderSource', () => {
  it('reads PEM, DER, bundles and P12; skips broken, oversized and unreadable files with a reason; survives a symlink loop', async () => {
    const dir = path.join(tmp, 'folder');
    mkdirSync(path.join(dir, 'sub', 'deeper'), { recursive: true });
    writeFileSync(path.join(dir, 'server.pem'), mix.server.pem);
    writeFileSync(path.join(dir, 'client.der'), mix.client.der);
    writeFileSync(path.join(dir, 'sub', 'bundle.crt'), mix.smime.pem + mix.ca.pem);
    writeFileSync(path.join(dir, 'sub', 'with-key.pem'), mix.client.pem + key.keyPem);
    writeFileSync(path.join(dir, 'broken.pem'), '-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n');
    writeFileSync(path.join(dir, 'garbage.cer'), 'hello world');
    writeFileSync(path.join(dir, 'big.pem'), Buffer.alloc(4096, 0x41));
    writeFileSync(path.join(dir, 'notes.txt'), 'ignored: not a certificate extension');
    symlinkSync(dir, path.join(dir, 'sub', 'deeper', 'loop'));
    symlinkSync(path.join(dir, 'missing.pem'), path.join(dir, 'dangling.pem'));
    // 3DES P12s made by forge, as older tools write them: one without a password, one with a password we do not know
    const p12 = (certPem: string, password: string) => {
      const cert = forge.pki.certificateFromPem(certPem);
      const asn1 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(key.keyPem), [cert], password, { algorithm: '3des' });
      return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
    };
    writeFileSync(path.join(dir, 'id.p12'), p12(mix.server.pem, ''));
    writeFileSync(path.join(dir, 'locked.pfx'), p12(mix.client.pem, 'secret'));

    const src = new FolderSource({ folders: [dir], maxFileBytes: 3000 });
    const r = await src.scan({ wantKeys: false });
    // broken.pem decodes to bytes that are no certificate: the source hands them on, inspection rejects them
    const junk = r.certs.filter((c) => c.location.endsWith('broken.pem'));
    expect(junk).toHaveLength(1);
    expect(() => fp(junk[0]!.der)).toThrow();
    const found = r.certs.filter((c) => c !== junk[0]).map((c) => fp(c.der));
    for (const c of [mix.server, mix.client, mix.smime, mix.ca]) expect(found).toContain(fp(c.der));
    expect(r.certs.every((c) => c.keyPem === undefined)).toBe(true);
    const reasons = Object.fromEntries(r.skipped.map((s) => [path.basename(s.location), s.reason]));
    expect(reasons['garbage.cer']).toMatch(/neither PEM nor DER/);
    expect(reasons['big.pem']).toMatch(/larger than 3000 bytes/);
    expect(reasons['dangling.pem']).toMatch(/broken symbolic link/);
    expect(reasons['locked.pfx']).toMatch(/password/);
    expect(reasons['notes.txt']).toBeUndefined();

    // with keys: the PEM key matched to its certificate, the P12 key to its leaf
    const withKeys = await src.scan({ wantKeys: true });
    const keyed = withKeys.certs
      .filter((c) => c.keyPem)
      .map((c) => path.basename(c.location))
      .sort();
    expect(keyed).toEqual(['id.p12', 'with-key.pem']);
    // a password from the settings opens the locked P12
    const withPw = await new FolderSource({ folders: [dir], maxFileBytes: 3000, p12Passwords: ['secret'] }).scan({
      wantKeys: false,
    });
    expect(withPw.skipped.find((s) => s.location.endsWith('locked.pfx'))).toBeUndefined();
  });

  it.skipIf(process.getuid?.() === 0)('skips an unreadable file and goes on', async () => {
    const dir = path.join(tmp, 'unreadable');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'a.pem'), mix.server.pem);
    writeFileSync(path.join(dir, 'b.pem'), mix.client.pem);
    chmodSync(path.join(dir, 'a.pem'), 0);
    const r = await new FolderSource({ folders: [dir] }).scan({ wantKeys: false });
    expect(r.certs).toHaveLength(1);
    expect(r.skipped[0]!.reason).toMatch(/EACCES/);
  });

  it("names its place for the window (kind + where) beside the CLI's English description", () => {
    const two = new FolderSource({ folders: ['/a', '/b'] });
    expect([two.place, two.description]).toEqual([{ kind: 'folders', where: '/a, /b' }, 'files in /a, /b']);
    expect(new NssSource({ dbDir: '/n', runner: processRunner }).place).toEqual({ kind: 'nss', where: '/n' });
  });

  it('reports a missing folder as skipped', async () => {
    const r = await new FolderSource({ folders: [path.join(tmp, 'nope')] }).scan({ wantKeys: false });
    expect(r.certs).toEqual([]);
    expect(r.skipped[0]!.reason).toMatch(/ENOENT/);
  });
});

describe('NssSource (real NSS database)', () => {
  it('reads every certificate of a certutil-made database, with sqlite3 and through certutil alone', async () => {
    const db = path.join(tmp, 'nssdb');
    mkdirSync(db);
    execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
    for (const [nick, c] of Object.entries({ server: mix.server, client: mix.client, ca: mix.ca })) {
      execFileSync('certutil', ['-A', '-d', `sql:${db}`, '-n', nick, '-t', ',,', '-a'], { input: c.pem });
    }
    const expected = [mix.server, mix.client, mix.ca].map((c) => fp(c.der)).sort();
    const viaSql = await new NssSource({ dbDir: db, runner: processRunner }).scan();
    expect(viaSql.certs.map((c) => fp(c.der)).sort()).toEqual(expected);
    expect(viaSql.certs.map((c) => c.location.split('#')[1]).sort()).toEqual(['ca', 'client', 'server']);
    const viaCertutil = await new NssSource({ dbDir: db, runner: processRunner, sqlite3: '/nonexistent/sqlite3' }).scan();
    expect(viaCertutil.certs.map((c) => fp(c.der)).sort()).toEqual(expected);
  });

  it('reports a folder without cert9.db as skipped', async () => {
    const r = await new NssSource({ dbDir: tmp, runner: processRunner }).scan();
    expect(r.skipped[0]!.reason).toMatch(/no cert9.db/);
  });
});

describe('LinuxSystemCaSource', () => {
  it('reads the Debian bundle under the root prefix as a system store', async () => {
    const root = path.join(tmp, 'root');
    mkdirSync(path.join(root, 'etc/ssl/certs'), { recursive: true });
    writeFileSync(path.join(root, 'etc/ssl/certs/ca-certificates.crt'), mix.ca.pem + mix.server.pem);
    const src = new LinuxSystemCaSource({ rootPrefix: root });
    expect(src.storeType).toBe('system');
    expect((await src.scan()).certs).toHaveLength(2);
  });
});

describe('Windows and macOS sources (commands asserted; the tools cannot run here)', () => {
  it('lists CurrentUser\\My with PowerShell and decodes RawData', async () => {
    const runner = new RecordingRunner(() => ({
      code: 0,
      stderr: '',
      stdout: JSON.stringify([{ Thumbprint: 'AA', HasPrivateKey: true, RawData: mix.client.der.toString('base64') }]),
    }));
    const src = new WindowsSource({ runner, location: 'CurrentUser' });
    const r = await src.scan();
    expect(runner.calls).toHaveLength(1);
    expect(runner.calls[0]!.command).toBe('powershell.exe');
    expect(decodePsScript(runner.calls[0]!.args)).toContain(
      "Get-ChildItem -Path 'Cert:\\CurrentUser\\My' | Select-Object Thumbprint, HasPrivateKey, @{Name='RawData'; Expression={[Convert]::ToBase64String($_.RawData)}} | ConvertTo-Json -Compress -Depth 2",
    );
    expect(r.certs.map((c) => fp(c.der))).toEqual([fp(mix.client.der)]);
    expect(src.storeType).toBe('personal');
    expect(new WindowsSource({ runner, location: 'LocalMachine' }).storeType).toBe('system');
  });

  it('lists a keychain with security find-certificate -a -p', async () => {
    const runner = new RecordingRunner(() => ({ code: 0, stderr: '', stdout: mix.server.pem + mix.smime.pem }));
    const src = new MacKeychainSource({
      runner,
      keychainPath: '/Users/u/Library/Keychains/login.keychain-db',
      storeType: 'personal',
    });
    const r = await src.scan();
    expect(runner.calls.map((c) => [c.command, ...c.args])).toEqual([
      ['/usr/bin/security', 'find-certificate', '-a', '-p', '/Users/u/Library/Keychains/login.keychain-db'],
    ]);
    expect(r.certs).toHaveLength(2);
  });

  it('a failing tool makes the source throw with the tool message', async () => {
    const runner = new RecordingRunner(() => ({ code: 1, stderr: 'Access is denied', stdout: '' }));
    await expect(new WindowsSource({ runner, location: 'LocalMachine' }).scan()).rejects.toThrow(/Access is denied/);
  });
});

describe('defaultSources', () => {
  it('finds ~/.pki/nssdb and Firefox/Thunderbird profiles with a cert9.db on Linux, the system CA bundle and the folders', async () => {
    const { defaultSources } = await import('./store-sources');
    const userHome = path.join(tmp, 'userhome');
    const nssdb = path.join(userHome, '.pki', 'nssdb');
    const ff = path.join(userHome, '.mozilla', 'firefox');
    const tb = path.join(userHome, '.thunderbird');
    mkdirSync(nssdb, { recursive: true });
    mkdirSync(path.join(ff, 'abc.default-release'), { recursive: true });
    mkdirSync(path.join(tb, 'xyz.default'), { recursive: true });
    mkdirSync(path.join(ff, 'never.started'), { recursive: true });
    writeFileSync(
      path.join(ff, 'profiles.ini'),
      '[Profile0]\nName=default-release\nIsRelative=1\nPath=abc.default-release\nDefault=1\n\n[Profile1]\nName=never\nIsRelative=1\nPath=never.started\n',
    );
    writeFileSync(path.join(tb, 'profiles.ini'), '[Profile0]\nName=default\nIsRelative=1\nPath=xyz.default\n');
    for (const d of [nssdb, path.join(ff, 'abc.default-release'), path.join(tb, 'xyz.default')])
      execFileSync('certutil', ['-N', '-d', `sql:${d}`, '--empty-password']);
    const sources = defaultSources({
      platform: 'linux',
      runner: processRunner,
      userHome,
      env: {},
      folders: [path.join(tmp, 'folder')],
    });
    expect(sources.map((s) => s.id)).toEqual([
      `nss:${nssdb}`,
      `nss:${path.join(ff, 'abc.default-release')}`,
      `nss:${path.join(tb, 'xyz.default')}`,
      'linux-system-ca',
      'folder',
    ]);
    const win = defaultSources({
      platform: 'win32',
      runner: new RecordingRunner(() => ({ code: 0, stdout: '', stderr: '' })),
      userHome: path.join(tmp, 'nobody'),
    });
    expect(win.map((s) => [s.id, s.storeType])).toEqual([
      ['windows:CurrentUser\\My', 'personal'],
      ['windows:LocalMachine\\My', 'system'],
    ]);
  });
});
