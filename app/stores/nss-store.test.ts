import { execFileSync, spawn } from 'node:child_process';
import { promises as fs, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processRunner, type CommandSpec } from '../system/command-runner';
import { certFactsFromPem } from './cert-summary';
import { NssStore, parseCertutilKeys, parseCertutilList, uniqueNickname, type NssStoreOptions } from './nss-store';
import { StoreError } from './store';
import { TestPki } from '../../test-support/stores/test-pki';

const pki = new TestPki('NSS Test');
const home = mkdtempSync(path.join(os.tmpdir(), 'nss-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
let n = 0;
const origin = { provider: 'Acme', service: 'VPN' };

/** A runner that runs for real and remembers the calls, to check that passwords never reach argv. */
function recordingRealRunner() {
  const calls: CommandSpec[] = [];
  return { calls, run: (spec: CommandSpec) => (calls.push(spec), processRunner.run(spec)) };
}

function store(extra: Partial<NssStoreOptions> = {}) {
  const runner = recordingRealRunner();
  const dbDir = path.join(home, `u${n++}`, '.pki', 'nssdb');
  const s = new NssStore({ id: 'nss', name: 'test', dbDir, usedBy: ['Chromium'], runner, create: true, ...extra });
  return { s, dbDir, runner };
}

const certutilL = (dbDir: string) => execFileSync('certutil', ['-L', '-d', `sql:${dbDir}`], { encoding: 'utf8' });
const certutilK = (dbDir: string, pw = '') => {
  const f = path.join(home, `pw-${n++}`);
  writeFileSync(f, pw, { mode: 0o600 });
  return execFileSync('certutil', ['-K', '-d', `sql:${dbDir}`, '-f', f], { encoding: 'utf8' });
};

describe('NssStore with real certutil/pk12util', () => {
  it('creates ~/.pki/nssdb when missing and imports cert + key + chain with the nickname policy and trust flags', async () => {
    const { s, dbDir } = store();
    const b = { ...pki.bundle('Jürgen Müller 日本', 'ignored', { O: 'Société' }), origin };
    const stored = await s.add(b);
    expect(stored.ref).toBe('KeyTalk Acme VPN Jürgen Müller 日本');
    expect(stored.hasPrivateKey).toBe(true);
    expect(stored.sha256Fingerprint).toBe(certFactsFromPem(b.certPem).sha256Fingerprint);
    const listed = parseCertutilList(certutilL(dbDir));
    expect(listed).toContainEqual({ nickname: 'KeyTalk Acme VPN Jürgen Müller 日本', trust: 'u,u,u' });
    expect(listed).toContainEqual({ nickname: 'NSS Test Issuing CA - NSS Test', trust: ',,' });
    expect(listed).toContainEqual({ nickname: 'NSS Test Root CA - NSS Test', trust: ',,' });
    expect(certutilK(dbDir)).toContain('KeyTalk Acme VPN Jürgen Müller 日本');
    const all = await s.list();
    expect(all).toHaveLength(3);
    expect(all.filter((c) => c.hasPrivateKey).map((c) => c.ref)).toEqual(['KeyTalk Acme VPN Jürgen Müller 日本']);
    expect(await s.find({ subjectContains: 'société' })).toEqual([stored]);
  });

  it('is a no-op for the same certificate twice, and trusts the root CT,C,C only when asked', async () => {
    const { s, dbDir } = store();
    const b = { ...pki.bundle('Twice'), origin };
    const first = await s.add(b);
    const again = await s.add(b);
    expect(again).toEqual(first);
    expect(parseCertutilList(certutilL(dbDir)).filter((l) => l.nickname.startsWith('KeyTalk'))).toHaveLength(1);
    await s.add(b, { trustRoot: true });
    expect(parseCertutilList(certutilL(dbDir))).toContainEqual({ nickname: 'NSS Test Root CA - NSS Test', trust: 'CT,C,C' });
    expect(parseCertutilList(certutilL(dbDir))).toContainEqual({ nickname: 'NSS Test Issuing CA - NSS Test', trust: ',,' });
  });

  it('gives a renewed certificate (same subject) its own nickname and removes the old one with its key only', async () => {
    const { s, dbDir } = store();
    const renewalPki = new TestPki('Renewal');
    const oldB = { ...renewalPki.bundle('Renew Me'), origin };
    const old = await s.add(oldB);
    // the renewed certificate has a new key
    const { makeKey, issue } = await import('../../test-support/stores/test-pki');
    const newKey = makeKey();
    const newLeaf = issue({
      subject: { CN: 'Renew Me' },
      key: newKey,
      issuer: renewalPki.intermediate,
      notBefore: new Date(Date.now() + 1000),
    });
    const fresh = await s.add({ ...oldB, certPem: newLeaf.pem, keyPem: newKey.keyPem });
    expect(old.ref).toBe('KeyTalk Acme VPN Renew Me');
    expect(fresh.ref).toBe('KeyTalk Acme VPN Renew Me (2)');
    expect(fresh.hasPrivateKey).toBe(true);
    await s.remove(old.sha256Fingerprint);
    const left = await s.list();
    expect(left.map((c) => c.sha256Fingerprint)).not.toContain(old.sha256Fingerprint);
    expect(left.find((c) => c.sha256Fingerprint === fresh.sha256Fingerprint)?.hasPrivateKey).toBe(true);
    const keys = parseCertutilKeys(certutilK(dbDir));
    expect(keys).toHaveLength(1);
    // The renewed certificate takes the old one's nickname once that is free (issue 17 switch-over): a service
    // configured by nickname (mod_nss NSSNickname, a VPN's certificate name) finds it after every renewal.
    expect(left.find((c) => c.sha256Fingerprint === fresh.sha256Fingerprint)?.ref).toBe('KeyTalk Acme VPN Renew Me');
    expect(parseCertutilList(certutilL(dbDir))).toContainEqual({ nickname: 'KeyTalk Acme VPN Renew Me', trust: 'u,u,u' });
    expect(parseCertutilKeys(certutilK(dbDir))[0]).toMatchObject({ nickname: 'KeyTalk Acme VPN Renew Me' });
    await s.remove(old.sha256Fingerprint); // absent: no-op
  });

  it('removes the right one of two certificates sharing a nickname (made outside the agent)', async () => {
    const { s, dbDir } = store();
    const a = pki.bundle('Shared Name');
    const b = pki.bundle('Shared Name');
    await s.add({ ...a, label: 'Same', origin: undefined });
    // import b with pk12util directly, so NSS puts it under the same nickname
    const { buildPkcs12 } = await import('../crypto/p12-write');
    const p12 = path.join(home, `b${n++}.p12`);
    writeFileSync(
      p12,
      buildPkcs12({ certPem: b.certPem, keyPem: b.keyPem!, chainPem: [], password: 'x', friendlyName: 'Other' }),
    );
    const pw = path.join(home, `pw${n++}`);
    writeFileSync(pw, 'x');
    execFileSync('pk12util', ['-i', p12, '-d', `sql:${dbDir}`, '-w', pw, '-K', '']);
    const both = (await s.list()).filter((c) => c.ref === 'Same');
    expect(both).toHaveLength(2);
    const aFp = certFactsFromPem(a.certPem).sha256Fingerprint;
    const bFp = certFactsFromPem(b.certPem).sha256Fingerprint;
    await s.remove(aFp);
    const left = await s.list();
    expect(left.map((c) => c.sha256Fingerprint)).not.toContain(aFp);
    expect(left.find((c) => c.sha256Fingerprint === bFp)?.ref).toBe('Same');
    // they share the test key, so the key stays for b
    expect(left.find((c) => c.sha256Fingerprint === bFp)?.hasPrivateKey).toBe(true);
  });

  it('works with a password-protected database and never puts a password in argv', async () => {
    const password = 'tökén pässword';
    const { s, dbDir, runner } = store({ password: async () => password });
    const b = { ...pki.bundle('Protected Ü'), origin };
    const stored = await s.add(b);
    expect(certutilK(dbDir, password)).toContain(stored.ref);
    expect(() => certutilK(dbDir, 'wrong')).toThrow();
    await s.remove(stored.sha256Fingerprint);
    expect((await s.list()).map((c) => c.sha256Fingerprint)).not.toContain(stored.sha256Fingerprint);
    for (const c of runner.calls) expect(c.args.join(' ')).not.toContain(password);
    expect(runner.calls.some((c) => c.command === 'pk12util' && c.args.includes('-k'))).toBe(true);
  });

  it('reports a wrong database password clearly and leaves the database as it was', async () => {
    const { s: good, dbDir } = store({ password: 'right' });
    await good.add({ ...pki.bundle('Before'), origin });
    const before = readFileSync(path.join(dbDir, 'key4.db'));
    const bad = new NssStore({ id: 'nss', name: 't', dbDir, usedBy: [], runner: processRunner, password: 'wrong' });
    const err = await bad.add({ ...pki.bundle('After'), origin }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/password .* was not accepted/);
    expect((err as Error).message).toMatch(/restored/);
    expect(readFileSync(path.join(dbDir, 'key4.db')).equals(before)).toBe(true);
    expect((await good.list()).map((c) => c.ref)).not.toContain('KeyTalk Acme VPN After');
  });

  it('reads an existing database made by certutil (nicknames with spaces), same result with and without sqlite3', async () => {
    const dbDir = path.join(home, `existing${n++}`);
    await fs.mkdir(dbDir, { recursive: true });
    execFileSync('certutil', ['-N', '-d', `sql:${dbDir}`, '--empty-password']);
    const ca = pki.root.pem;
    execFileSync('certutil', ['-A', '-d', `sql:${dbDir}`, '-n', 'My  Company: Root CA (ü)', '-t', 'C,,', '-a'], { input: ca });
    const withSqlite = new NssStore({ id: 'nss', name: 't', dbDir, usedBy: [], runner: processRunner });
    const without = new NssStore({ id: 'nss', name: 't', dbDir, usedBy: [], runner: processRunner, useSqlite: false });
    await withSqlite.add({ ...pki.bundle('Existing DB User'), origin });
    const a = await withSqlite.list();
    const b = await without.list();
    const key = (x: { sha256Fingerprint: string }) => x.sha256Fingerprint;
    expect([...b].sort((x, y) => key(x).localeCompare(key(y)))).toEqual([...a].sort((x, y) => key(x).localeCompare(key(y))));
    // certutil shows (and -n needs) a nickname holding ":" with its token name in front
    expect(a.find((c) => c.sha256Fingerprint === certFactsFromPem(ca).sha256Fingerprint)?.ref).toBe(
      'NSS Certificate DB:My  Company: Root CA (ü)',
    );
    expect(withSqlite.lastListPath).toBe('sqlite');
    expect(without.lastListPath).toBe('certutil');
    // no sqlite3 installed: the runner fails to start it and the certutil path answers
    const noSqlite = new NssStore({
      id: 'nss',
      name: 't',
      dbDir,
      usedBy: [],
      runner: processRunner,
      sqlite3: '/nonexistent/sqlite3',
    });
    expect((await noSqlite.list()).length).toBe(a.length);
  });

  it('lists certificates that have no nickname (pk12util import without friendlyName) and explains why they cannot be removed', async () => {
    const { s, dbDir } = store();
    const b = pki.bundle('Nameless');
    const { buildPkcs12 } = await import('../crypto/p12-write');
    const p12 = path.join(home, `nameless${n++}.p12`);
    // a chain certificate without friendlyName in a PKCS#12 whose key is another certificate's: NSS stores no label
    writeFileSync(
      p12,
      buildPkcs12({
        certPem: b.certPem,
        keyPem: b.keyPem!,
        chainPem: [pki.leaf('Nameless 2').pem],
        password: 'x',
        friendlyName: 'Named',
      }),
    );
    const pw = path.join(home, `pw${n++}`);
    writeFileSync(pw, 'x');
    await s.describe();
    await fs.mkdir(dbDir, { recursive: true });
    execFileSync('certutil', ['-N', '-d', `sql:${dbDir}`, '--empty-password']);
    execFileSync('pk12util', ['-i', p12, '-d', `sql:${dbDir}`, '-w', pw, '-K', '']);
    expect(certutilL(dbDir)).toContain('(NULL)');
    const list = await s.list();
    const nameless = list.find((c) => c.subject === 'CN=Nameless 2')!;
    expect(nameless.ref).toBe('(NULL)');
    expect(list.find((c) => c.subject === 'CN=Nameless')!.ref).toBe('Named');
    await expect(s.remove(nameless.sha256Fingerprint)).rejects.toThrow(/has no nickname/);
  });

  it('refuses a corrupt database with a clear error and changes nothing', async () => {
    const { s, dbDir } = store();
    await s.add({ ...pki.bundle('Victim'), origin });
    const junk = Buffer.alloc(4096, 0x42);
    await fs.writeFile(path.join(dbDir, 'cert9.db'), junk);
    const keyBefore = readFileSync(path.join(dbDir, 'key4.db'));
    await expect(s.list()).rejects.toThrow(/cannot be opened: it is damaged or locked.*close Firefox/);
    await expect(s.add({ ...pki.bundle('New One'), origin })).rejects.toThrow(/damaged or locked/);
    expect(readFileSync(path.join(dbDir, 'cert9.db')).equals(junk)).toBe(true);
    expect(readFileSync(path.join(dbDir, 'key4.db')).equals(keyBefore)).toBe(true);
  });

  it('fails cleanly on a database locked by another program and keeps its content', async () => {
    const { s, dbDir } = store();
    const kept = await s.add({ ...pki.bundle('Kept'), origin });
    const lock = spawn('sqlite3', [path.join(dbDir, 'cert9.db')], { stdio: ['pipe', 'ignore', 'ignore'] });
    lock.stdin.write('BEGIN EXCLUSIVE;\nSELECT 1;\n');
    await new Promise((r) => setTimeout(r, 300));
    try {
      await expect(s.add({ ...pki.bundle('Blocked'), origin })).rejects.toThrow(/damaged or locked/);
    } finally {
      lock.stdin.end();
      await new Promise((r) => lock.on('close', r));
    }
    const after = await s.list();
    expect(after.map((c) => c.sha256Fingerprint)).toContain(kept.sha256Fingerprint);
    expect(after.map((c) => c.ref)).not.toContain('KeyTalk Acme VPN Blocked');
  });

  it('says what to do when a profile has no database or an old one', async () => {
    const dir = path.join(home, `profile${n++}`);
    await fs.mkdir(dir, { recursive: true });
    const s = new NssStore({ id: 'firefox:x', name: 't', dbDir: dir, usedBy: [], runner: processRunner });
    expect((await s.describe()).unavailableReason).toMatch(/start the application once/);
    await expect(s.add({ ...pki.bundle('X'), origin })).rejects.toThrow(/no NSS database/);
    await fs.writeFile(path.join(dir, 'cert8.db'), '');
    expect((await s.describe()).unavailableReason).toMatch(/old cert8.db format/);
  });
});

describe('certutil output parsing', () => {
  it('parses -L lines with spaces, non-ASCII and over-long nicknames', () => {
    const recorded = readFileSync(path.join(__dirname, '../../test-support/stores/fixtures/certutil-L.txt'), 'utf8');
    expect(parseCertutilList(recorded)).toEqual([
      { nickname: 'KeyTalk Acme VPN Jürgen Müller 日本', trust: 'u,u,u' },
      { nickname: 'NSS Test Issuing CA - NSS Test', trust: ',,' },
      { nickname: 'My  Company: Root CA (ü)', trust: 'CT,C,C' },
      { nickname: 'A very long nickname that goes well past the sixty character column of certutil', trust: 'u,u,u' },
    ]);
  });

  it('parses -K lines', () => {
    const out =
      'certutil: Checking token "NSS Certificate DB" in slot "NSS User Private Key and Certificate Services"\n< 0> rsa      f11bbe8812e16c2e8ef224b26e202fbd84c9e348   KeyTalk é 日本\n< 1> ec       0a0b   (orphan)\n';
    expect(parseCertutilKeys(out)).toEqual([
      { keyId: 'F11BBE8812E16C2E8EF224B26E202FBD84C9E348', nickname: 'KeyTalk é 日本' },
      { keyId: '0A0B', nickname: '(orphan)' },
    ]);
  });

  it('makes nicknames unique', () => {
    expect(uniqueNickname('A', [])).toBe('A');
    expect(uniqueNickname('A', [{ nickname: 'A' }, { nickname: 'A (2)' }])).toBe('A (3)');
  });
});
