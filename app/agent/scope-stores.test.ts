import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { homeLayout } from '../config/home';
import { enrollments, type EnrollmentRecord } from '../engine/state';
import { FileStore } from '../stores/file-store';
import { scopedStores } from './scope-stores';

/**
 * Issue 17 store-to-system, issue 20 machine scope: which stores the scheduler and the switch-over work on. A user
 * agent whose enrollment went to the machine store must list that store too, or its renewal job ends as "removed"
 * and a renewal could never take the old certificate out of /etc/pki/nssdb. (The switch-over itself, as root into
 * the real /etc/pki/nssdb: app/scheduler/machine-daemon.test.ts.)
 */
const record = (stores: string[]): EnrollmentRecord => ({
  sha256Fingerprint: 'AB'.repeat(32),
  provider: 'Demo',
  service: 'HOST',
  subject: 'CN=host01',
  notBefore: '2026-01-01T00:00:00Z',
  notAfter: '2027-01-01T00:00:00Z',
  issuedAt: '2026-01-01T00:00:00Z',
  stores,
  csr: false,
  credentialsRemembered: false,
  extras: {},
  rcdpVersion: '2.8.3',
});

describe.skipIf(process.platform !== 'linux')('stores per scope', () => {
  it('user scope: the configured stores, plus the machine stores a record names', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kt-scope-stores-'));
    const user = async () => [new FileStore(homeLayout(home).certs)];
    const ids = async () => (await scopedStores('user', home, user)).map((s) => s.id);
    expect(await ids()).toEqual(['file']);
    await enrollments.put(home, record(['file']));
    expect(await ids()).toEqual(['file']);
    await enrollments.put(home, { ...record(['system-nss', 'system-file']), sha256Fingerprint: 'CD'.repeat(32) });
    expect(await ids()).toEqual(['file', 'system-nss', 'system-file']);
  });

  it('machine scope: only the machine stores, the file store in the system home', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kt-scope-machine-'));
    const stores = await scopedStores('machine', home, () => Promise.reject(new Error('user stores asked for')));
    const described = await Promise.all(stores.map((s) => s.describe()));
    expect(described.map((d) => [d.id, d.location])).toEqual([
      ['system-nss', '/etc/pki/nssdb'],
      ['system-file', homeLayout(home).certs],
    ]);
  });
});
