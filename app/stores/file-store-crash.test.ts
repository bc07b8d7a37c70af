import { spawnSync } from 'node:child_process';
import { promises as fs, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from './file-store';
import { TestPki } from '../../test-support/stores/test-pki';

// Issue 22: the file store's replace and its start-up sweep must never lose the only complete copy, and a damaged
// meta.json must not make an intact certificate vanish.
const pki = new TestPki('File Store Crash Test');
const root = mkdtempSync(path.join(os.tmpdir(), 'filestore-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dir: string;
let n = 0;
beforeEach(() => {
  dir = path.join(root, `home${n++}`, 'certs');
});

describe('FileStore crash safety', () => {
  it('a replace SIGKILLed between "old aside" and "new in" keeps the certificate and its key', async () => {
    const bundle = pki.bundle('Swap Victim');
    const first = await new FileStore(dir).add({ ...bundle, keyPem: undefined });
    expect(first.hasPrivateKey).toBe(false);
    const bundleFile = path.join(root, `bundle${n}.json`);
    writeFileSync(bundleFile, JSON.stringify(bundle));
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'test-support/crash/file-store-add.ts', dir, bundleFile], {
      env: { ...process.env, KEYTALK_AGENT_CRASH_AT: 'store-swap' },
      encoding: 'utf8',
    });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const names = await fs.readdir(dir);
    // The kill left the fingerprint folder missing: only the two temporary copies hold it.
    expect(names).not.toContain(first.sha256Fingerprint);
    expect(names.filter((x) => x.startsWith('.tmp-'))).toHaveLength(2);

    const after = await new FileStore(dir).list();
    expect(after).toEqual([expect.objectContaining({ sha256Fingerprint: first.sha256Fingerprint, hasPrivateKey: true })]);
    expect((await fs.readdir(dir)).filter((x) => x.startsWith('.tmp-'))).toEqual([]);
    expect((await new FileStore(dir).read(first.sha256Fingerprint)).keyPem).toBe(bundle.keyPem);
  }, 30_000);

  it('puts a set-aside old copy back when the fingerprint folder is missing, and never sweeps it while it is the only copy', async () => {
    const store = new FileStore(dir);
    const c = await store.add(pki.bundle('Only Copy'));
    const aside = path.join(dir, `.tmp-old-${c.sha256Fingerprint}-0badc0de`);
    await fs.rename(store.paths(c.sha256Fingerprint).dir, aside);
    expect((await new FileStore(dir).list()).map((x) => x.sha256Fingerprint)).toEqual([c.sha256Fingerprint]);
    expect(await fs.readdir(dir)).not.toContain(path.basename(aside));
    // With a damaged fingerprint folder, the set-aside copy is kept and reported.
    await fs.cp(store.paths(c.sha256Fingerprint).dir, aside, { recursive: true });
    await fs.writeFile(store.paths(c.sha256Fingerprint).cert, 'torn');
    const s2 = new FileStore(dir);
    await s2.list();
    expect(await fs.readdir(dir)).toContain(path.basename(aside));
    expect(s2.problems().join('\n')).toContain(aside);
  });

  it('a damaged meta.json beside an intact certificate is rebuilt from cert.pem and reported, not moved away', async () => {
    const store = new FileStore(dir);
    const c = await store.add(pki.bundle('Meta Damage', 'My Label'));
    const p = store.paths(c.sha256Fingerprint);
    await fs.writeFile(p.meta, '{"label": "My La');
    await fs.rm(path.join(dir, 'index.json'));
    const seen: string[] = [];
    const again = new FileStore(dir, { onProblem: (m) => seen.push(m) });
    const listed = await again.list();
    expect(listed).toEqual([
      expect.objectContaining({ sha256Fingerprint: c.sha256Fingerprint, hasPrivateKey: true, label: 'Meta Damage' }),
    ]);
    expect(seen).toEqual([expect.stringMatching(/meta\.json of certificate .* was damaged .*rebuilt from cert\.pem/)]);
    expect((await fs.readdir(p.dir)).some((x) => x.startsWith('meta.json.damaged-'))).toBe(true);
    expect(JSON.parse(await fs.readFile(p.meta, 'utf8'))).toMatchObject({ label: 'Meta Damage' });
    // An unreadable cert.pem cannot be rebuilt: set aside and said so.
    await fs.writeFile(p.cert, 'garbage');
    await fs.rm(path.join(dir, 'index.json'));
    const third = new FileStore(dir);
    expect(await third.list()).toEqual([]);
    expect(third.problems()).toEqual([expect.stringMatching(/cannot be read .*moved to .*\.damaged-/)]);
  });
});
