import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processRunner } from '../system/command-runner';
import { certFactsFromPem } from './cert-summary';
import { FileStore } from './file-store';
import { NssStore } from './nss-store';
import { ReplaceError, replaceCertificate } from './replace';
import type { CertificateStore } from './store';
import { makeKey, issue, TestPki } from '../../test-support/stores/test-pki';

const pki = new TestPki('Replace Test');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'replace-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const origin = { provider: 'Acme', service: 'Mail' };
const newKey = makeKey();

function pair() {
  const oldB = { ...pki.bundle(`Renewing Ü ${n}`), origin };
  const leaf = issue({
    subject: { CN: `Renewing Ü ${n}` },
    key: newKey,
    issuer: pki.intermediate,
    notBefore: new Date(Date.now() + 1000),
  });
  n++;
  return {
    oldB,
    newB: { ...oldB, certPem: leaf.pem, keyPem: newKey.keyPem },
    oldFp: certFactsFromPem(oldB.certPem).sha256Fingerprint,
    newFp: certFactsFromPem(leaf.pem).sha256Fingerprint,
  };
}
const fileStore = (id = 'file') => new FileStore(path.join(tmp, `files${n++}`), { id });
const nssStore = () =>
  new NssStore({ id: 'nss', name: 'nss', dbDir: path.join(tmp, `nss${n++}`), usedBy: [], runner: processRunner, create: true });
const fps = async (s: CertificateStore) => (await s.list()).map((c) => c.sha256Fingerprint);

/** A store that breaks in a chosen way, around a real one. */
function breaking(inner: CertificateStore, how: 'add' | 'silent-add' | 'remove'): CertificateStore {
  return {
    id: `broken-${how}`,
    describe: () => inner.describe(),
    list: () => inner.list(),
    find: (q) => inner.find(q),
    add: async (b, o) => {
      if (how === 'add') throw new Error('disk full');
      if (how === 'silent-add') return (await inner.list())[0]!; // claims success, stores nothing
      return inner.add(b, o);
    },
    remove: async (fp) => {
      if (how === 'remove') throw new Error('database locked');
      return inner.remove(fp);
    },
  };
}

describe('replaceCertificate', () => {
  it('puts the new certificate into every store holding the old one (real file store + real NSS), then removes the old', async () => {
    const { oldB, newB, oldFp, newFp } = pair();
    const file = fileStore();
    const nss = nssStore();
    const bystander = fileStore('other');
    await file.add(oldB);
    await nss.add(oldB);
    const r = await replaceCertificate([file, nss, bystander], oldFp, newB);
    expect(r).toEqual({ newFingerprint: newFp, stores: ['file', 'nss'], removedOld: ['file', 'nss'], removeFailures: [] });
    expect(await fps(file)).toEqual([newFp]);
    expect(await fps(nss)).toContain(newFp);
    expect(await fps(nss)).not.toContain(oldFp);
    expect((await nss.find({ sha256Fingerprint: newFp }))[0]!.hasPrivateKey).toBe(true);
    expect(await fps(bystander)).toEqual([]);
  });

  it('keeps the old certificate everywhere and takes the new copies out when a later store fails to add', async () => {
    const { oldB, newB, oldFp, newFp } = pair();
    const first = fileStore();
    const second = fileStore();
    await first.add(oldB);
    await second.add(oldB);
    const err = await replaceCertificate([first, breaking(second, 'add')], oldFp, newB).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplaceError);
    expect(err).toMatchObject({ storeId: 'broken-add', phase: 'add-new' });
    expect((err as Error).message).toMatch(/stopped at store "broken-add".*disk full.*old certificate was kept in every store/);
    expect(await fps(first)).toEqual([oldFp]);
    expect(await fps(second)).toEqual([oldFp]);
    expect(await fps(first)).not.toContain(newFp);
  });

  it('does not remove the old one when a store claims success but the new one cannot be found there', async () => {
    const { oldB, newB, oldFp } = pair();
    const s = fileStore();
    await s.add(oldB);
    await expect(replaceCertificate([breaking(s, 'silent-add')], oldFp, newB)).rejects.toMatchObject({
      phase: 'verify-new',
      storeId: 'broken-silent-add',
    });
    expect(await fps(s)).toEqual([oldFp]);
  });

  it('refuses when the old certificate is nowhere, or a store cannot be asked', async () => {
    const { newB, oldFp, oldB } = pair();
    await expect(replaceCertificate([fileStore()], oldFp, newB)).rejects.toThrow(
      /in none of the stores file; nothing was changed/,
    );
    const holder = fileStore();
    await holder.add(oldB);
    const blind: CertificateStore = {
      ...breaking(holder, 'add'),
      id: 'blind',
      find: async () => {
        throw new Error('tool missing');
      },
    };
    await expect(replaceCertificate([holder, blind], oldFp, newB)).rejects.toMatchObject({ phase: 'find-old', storeId: 'blind' });
    expect(await fps(holder)).toEqual([oldFp]);
  });

  it('reports a failed removal of the old one after the new one is in place everywhere', async () => {
    const { oldB, newB, oldFp, newFp } = pair();
    const s = fileStore();
    await s.add(oldB);
    const r = await replaceCertificate([breaking(s, 'remove')], oldFp, newB);
    expect(r.removedOld).toEqual([]);
    expect(r.removeFailures).toEqual([{ storeId: 'broken-remove', message: 'database locked' }]);
    expect((await fps(s)).sort()).toEqual([oldFp, newFp].sort());
  });
});
