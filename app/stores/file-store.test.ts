import { execFileSync } from 'node:child_process';
import { promises as fs, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from './file-store';
import { certFactsFromPem } from './cert-summary';
import { TestPki } from '../../test-support/stores/test-pki';

const pki = new TestPki('File Store Test');
const root = mkdtempSync(path.join(os.tmpdir(), 'filestore-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dir: string;
let n = 0;
beforeEach(() => {
  dir = path.join(root, `home${n++}`, 'certs');
});

describe('FileStore', () => {
  it('stores cert, chain, key (0600) and a modern P12 under certs/<sha256>/, and lists it with the right facts', async () => {
    const store = new FileStore(dir, { p12Password: 'secret' });
    const b = pki.bundle('Jürgen Müller 日本', 'KeyTalk Jürgen', { O: 'Société Générale' });
    const stored = await store.add(b);
    const facts = certFactsFromPem(b.certPem);
    expect(stored).toMatchObject({
      storeId: 'file',
      sha256Fingerprint: facts.sha256Fingerprint,
      hasPrivateKey: true,
      label: 'KeyTalk Jürgen',
    });
    expect(stored.subject).toBe('CN=Jürgen Müller 日本, O=Société Générale');
    const p = store.paths(facts.sha256Fingerprint);
    expect(stored.ref).toBe(p.dir);
    expect(await fs.readFile(p.cert, 'utf8')).toBe(b.certPem);
    expect((await fs.readFile(p.chain, 'utf8')).match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(statSync(p.key).mode & 0o777).toBe(0o600);
    expect(statSync(p.p12).mode & 0o777).toBe(0o600);
    const info = execFileSync('sh', ['-c', 'openssl pkcs12 -info -noout -in "$1" -passin pass:secret 2>&1', 'sh', p.p12], {
      encoding: 'utf8',
    });
    expect(info).toContain('AES-256-CBC');
    expect(await store.list()).toEqual([stored]);
    expect(await store.find({ subjectContains: 'müller' })).toEqual([stored]);
    expect(await store.find({ serialNumber: facts.serialNumber.toLowerCase() })).toEqual([stored]);
    expect(await store.find({ sha256Fingerprint: facts.sha256Fingerprint.toLowerCase() })).toEqual([stored]);
    expect(await store.find({ subjectContains: 'nobody' })).toEqual([]);
    const back = await store.read(facts.sha256Fingerprint);
    expect(back.keyPem).toBe(b.keyPem);
    expect(back.chainPem).toHaveLength(2);
  });

  it('writes the legacy P12 when asked, with a per-certificate password callback', async () => {
    const store = new FileStore(dir, { legacyP12: true, p12Password: (bundle) => `pw-${bundle.label}` });
    const b = pki.bundle('Legacy User');
    const stored = await store.add(b);
    const p12 = store.paths(stored.sha256Fingerprint).p12;
    const info = execFileSync(
      'sh',
      ['-c', 'openssl pkcs12 -legacy -info -noout -in "$1" -passin "pass:pw-Legacy User" 2>&1', 'sh', p12],
      { encoding: 'utf8' },
    );
    expect(info).toContain('pbeWithSHA1And40BitRC2-CBC');
    expect(info).toContain('pbeWithSHA1And3-KeyTripleDES-CBC');
  });

  it('treats the same certificate twice as a no-op and stores a CA certificate without key or P12', async () => {
    const store = new FileStore(dir);
    const b = pki.bundle('Twice');
    const first = await store.add(b);
    const again = await store.add({ ...b, label: 'other label' });
    expect(again).toEqual(first);
    const ca = await store.add({ certPem: pki.root.pem, chainPem: [], label: 'Root' });
    expect(ca.hasPrivateKey).toBe(false);
    await expect(fs.access(store.paths(ca.sha256Fingerprint).p12)).rejects.toThrow();
    expect((await store.list()).map((c) => c.label).sort()).toEqual(['Root', 'Twice']);
  });

  it('refuses a key that does not match and leaves nothing behind', async () => {
    const store = new FileStore(dir);
    const b = pki.bundle('Mismatch');
    await expect(store.add({ ...b, keyPem: pki.rootKey.keyPem })).rejects.toThrow(/does not belong/);
    expect(await store.list()).toEqual([]);
    expect((await fs.readdir(dir).catch(() => [])).filter((f) => !f.startsWith('index'))).toEqual([]);
  });

  it('removes by fingerprint (idempotently) and updates the index', async () => {
    const store = new FileStore(dir);
    const a = await store.add(pki.bundle('A'));
    const b = await store.add(pki.bundle('B'));
    await store.remove(a.sha256Fingerprint);
    await store.remove(a.sha256Fingerprint);
    expect((await store.list()).map((c) => c.sha256Fingerprint)).toEqual([b.sha256Fingerprint]);
    await expect(fs.access(store.paths(a.sha256Fingerprint).dir)).rejects.toThrow();
    const idx = JSON.parse(await fs.readFile(path.join(dir, 'index.json'), 'utf8'));
    expect(Object.keys(idx.entries)).toEqual([b.sha256Fingerprint]);
  });

  it('rebuilds a missing or corrupt index from the folders, drops stale entries, sweeps half-written folders', async () => {
    const store = new FileStore(dir);
    const a = await store.add(pki.bundle('Alpha é'));
    const b = await store.add(pki.bundle('Beta ü'));
    await fs.writeFile(path.join(dir, 'index.json'), '{ this is not json');
    expect((await new FileStore(dir).list()).map((c) => c.label).sort()).toEqual(['Alpha é', 'Beta ü']);
    await fs.rm(path.join(dir, 'index.json'));
    const listed = await new FileStore(dir).list();
    expect(listed.map((c) => c.sha256Fingerprint).sort()).toEqual([a.sha256Fingerprint, b.sha256Fingerprint].sort());
    expect(listed.find((c) => c.label === 'Alpha é')).toEqual(a);
    // a folder deleted behind our back disappears from the index
    await fs.rm(store.paths(a.sha256Fingerprint).dir, { recursive: true });
    expect((await new FileStore(dir).list()).map((c) => c.label)).toEqual(['Beta ü']);
    // an interrupted write (old temp folder) is swept; a damaged fingerprint folder is moved aside, not deleted
    const stale = path.join(dir, `.tmp-${'A'.repeat(64)}-dead`);
    await fs.mkdir(stale);
    await fs.writeFile(path.join(stale, 'cert.pem'), 'half');
    const old = new Date(Date.now() - 3600_000);
    await fs.utimes(stale, old, old);
    const damaged = path.join(dir, 'B'.repeat(64));
    await fs.mkdir(damaged);
    await fs.writeFile(path.join(damaged, 'cert.pem'), 'garbage');
    await fs.rm(path.join(dir, 'index.json'));
    expect((await new FileStore(dir).list()).map((c) => c.label)).toEqual(['Beta ü']);
    const names = await fs.readdir(dir);
    expect(names).not.toContain(path.basename(stale));
    expect(names.some((x) => x.startsWith(`.damaged-${'B'.repeat(64)}`))).toBe(true);
  });

  it('keeps the index consistent under concurrent adds from one process', async () => {
    const store = new FileStore(dir);
    await Promise.all(Array.from({ length: 8 }, (_, i) => store.add(pki.bundle(`Concurrent ${i}`))));
    expect(await new FileStore(dir).list()).toHaveLength(8);
    const idx = JSON.parse(await fs.readFile(path.join(dir, 'index.json'), 'utf8'));
    expect(Object.keys(idx.entries)).toHaveLength(8);
  });

  it('describes itself and reports an unwritable folder as unavailable with a fix', async () => {
    expect(await new FileStore(dir).describe()).toMatchObject({ id: 'file', location: dir, available: true });
    const blocker = path.join(root, `blocker${n}`);
    await fs.writeFile(blocker, 'x');
    const d = await new FileStore(path.join(blocker, 'certs')).describe();
    expect(d.available).toBe(false);
    expect(d.unavailableReason).toMatch(/--home/);
  });
});

describe('FileStore with TPM-bound certificates', () => {
  // The real eviction against swtpm is in app/tpm/tpm-enroll.test.ts; this records which handles the store frees.
  it("frees a removed certificate's TPM handle only when no remaining certificate still uses it", async () => {
    const evicted: string[] = [];
    const store = new FileStore(dir, { tpmKeys: { remove: async (k) => void evicted.push(k.handle) } });
    const tpmBundle = (cn: string, handle: string) => {
      const { keyPem: _key, ...rest } = pki.bundle(cn, cn);
      return { ...rest, tpmKey: { handle } };
    };
    const a = tpmBundle('Renewed keeping its key', '0x81008000');
    const b = tpmBundle('Renewal of it', '0x81008000');
    const c = tpmBundle('Own key', '0x81008001');
    for (const x of [a, b, c]) await store.add(x);
    await store.remove(certFactsFromPem(a.certPem).sha256Fingerprint);
    expect(evicted).toEqual([]); // b still signs with 0x81008000
    await store.remove(certFactsFromPem(b.certPem).sha256Fingerprint);
    await store.remove(certFactsFromPem(c.certPem).sha256Fingerprint);
    expect(evicted).toEqual(['0x81008000', '0x81008001']);
  });
});
