import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnlineCaSimulator, type OnlineCaSimulator } from '../../simulators/onlineca/index';
import { generateRsaKeyPair, type KeyPairPem } from '../crypto/keys';
import type { FlowFrontEnd } from '../engine/front-end';
import { enrollments } from '../engine/state';
import { FileStore } from '../stores/file-store';
import { addOnlineCaProvider, bootstrapTrust, enrollOnlineCa } from './index';

/**
 * Issue 22, "Orphans": the Online CA enrollment used to store the certificate and key before it wrote the
 * enrollment record, so a failed state write (or a kill) between the two left a certificate nothing renews or
 * cleans. It now writes the record first and takes it out again when a store fails (engine/issued-stores.ts,
 * shared with the KeyTalk path). Both failures are real: a state folder that is a file, a store folder that is one.
 */

const tmp = mkdtempSync(path.join(os.tmpdir(), 'onlineca-order-'));
let sim: OnlineCaSimulator;
let keyPair: KeyPairPem;
let n = 0;

/** Trusts the simulator's roots (pinned, no prompt) in a fresh home. */
async function freshHome(): Promise<string> {
  const home = path.join(tmp, `home-${++n}`);
  await addOnlineCaProvider(home, 'ca', sim.url, { pinnedFingerprint: sim.caFingerprints.root });
  const silent: FlowFrontEnd = {
    prompt: () => Promise.reject(new Error('no prompt expected')),
    progress: () => undefined,
  };
  await bootstrapTrust(home, 'ca', { frontEnd: silent });
  return home;
}

const enroll = (home: string, stores: FileStore[]) =>
  enrollOnlineCa({
    keyPair,
    home,
    name: 'ca',
    frontEnd: { prompt: () => Promise.reject(new Error('no prompt expected')), progress: () => undefined },
    stores,
    credentials: { username: 'alice', password: 'alice-pw' },
  });

beforeAll(async () => {
  [sim, keyPair] = await Promise.all([
    startOnlineCaSimulator({
      fixture: { users: [{ username: 'alice', password: 'alice-pw' }] },
      stateDir: path.join(tmp, 'sim'),
    }),
    generateRsaKeyPair(2048),
  ]);
});
afterAll(async () => {
  await sim.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('Online CA enrollment writes the record before the stores (no orphan)', () => {
  it('a failed state write leaves no certificate in the store', async () => {
    const home = await freshHome();
    const store = new FileStore(path.join(home, 'certs'));
    // The state folder is a file: the enrollment record cannot be written (ENOTDIR/EEXIST), as on a broken home.
    rmSync(path.join(home, 'state'), { recursive: true, force: true });
    writeFileSync(path.join(home, 'state'), 'not a folder');
    const issuedBefore = sim.requests().filter((r) => r.status === 200 && r.user === 'alice').length;
    await expect(enroll(home, [store])).rejects.toThrow(/ENOTDIR|EEXIST|not a directory/);
    // The server issued, but nothing holds a certificate and key without a record.
    expect(sim.requests().filter((r) => r.status === 200 && r.user === 'alice').length).toBe(issuedBefore + 1);
    expect(await store.list()).toEqual([]);
  });

  it('a store that fails takes the record and the earlier stores\u2019 copies out again', async () => {
    const home = await freshHome();
    const good = new FileStore(path.join(home, 'certs'));
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, 'blocked'), 'a file where the store folder should be');
    const broken = new FileStore(path.join(home, 'blocked'));
    const err = await enroll(home, [good, broken]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'store-failed' });
    expect(await good.list()).toEqual([]);
    expect(await enrollments.list(home)).toEqual([]);
  });

  it('on success the record lists the stores and the fingerprint the store holds', async () => {
    const home = await freshHome();
    const store = new FileStore(path.join(home, 'certs'));
    const result = await enroll(home, [store]);
    const [record] = await enrollments.list(home);
    expect(record).toMatchObject({
      sha256Fingerprint: result.outcome.sha256Fingerprint,
      provider: 'ca',
      service: 'onlineca',
      stores: [store.id],
      providerKind: 'onlineca',
    });
    expect((await store.list()).map((c) => c.sha256Fingerprint)).toEqual([result.outcome.sha256Fingerprint]);
  });
});
