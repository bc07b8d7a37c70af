import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run';
import { repairedFiles } from '../config/repaired-files';
import { enrollments, messageStore, pendingApprovals, rememberedUsers, type EnrollmentRecord } from '../engine/state';
import { replacedCertificates } from '../engine/replaced-certificates';
import { listProviders } from '../rccd/provider-store';
import { readScannerState } from '../scanner/state';
import { DisclaimerState } from '../scheduler/periodic-jobs';
import { readScheduleFile, scheduleFile } from '../scheduler/schedule-file';
import { onStateDamaged, type StateDamage } from './state-file';

/**
 * Issue 22, "damaged state is repaired, never silently discarded": every persisted file, truncated, empty, garbage
 * or of the wrong shape, is moved aside (kept), reported, and read as empty; nothing throws at the caller.
 */

function tmpHome() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'kt-damaged-'));
  mkdirSync(path.join(home, 'state'), { recursive: true });
  return home;
}

const record: EnrollmentRecord = {
  sha256Fingerprint: 'AB12',
  provider: 'Demo',
  service: 'PASSWD',
  csr: false,
  subject: 'CN=demo',
  notBefore: '2026-01-01T00:00:00Z',
  notAfter: '2027-01-01T00:00:00Z',
  issuedAt: '2026-01-01T00:00:00Z',
  stores: ['file'],
  credentialsRemembered: false,
  extras: {},
  rcdpVersion: '2.8.3',
};

/** Each file: where it lives, a valid body (to truncate), a wrong shape, and a read that must come back empty. */
const files: { name: string; rel: string; valid: unknown; wrong: unknown; read: (home: string) => Promise<unknown> }[] = [
  {
    name: 'schedule.json',
    rel: 'state/schedule.json',
    valid: { version: 1, jobs: [{ id: 'sync', kind: 'sync', dueAt: 1, failures: 0 }] },
    wrong: { version: 1, jobs: 'all' },
    read: (home) => readScheduleFile(scheduleFile(home)),
  },
  {
    name: 'enrollments.json',
    rel: 'state/enrollments.json',
    valid: { AB12: record },
    wrong: [],
    read: (home) => enrollments.list(home),
  },
  {
    name: 'replaced-certificates.json',
    rel: 'state/replaced-certificates.json',
    valid: [
      {
        sha256Fingerprint: 'AB12',
        subject: 'CN=demo',
        notBefore: 'x',
        notAfter: 'y',
        provider: 'Demo',
        service: 'S',
        replacedBy: 'CD34',
        replacedAt: 'z',
      },
    ],
    wrong: [{ sha256Fingerprint: 1 }],
    read: (home) => replacedCertificates.list(home),
  },
  {
    name: 'messages.json',
    rel: 'state/messages.json',
    valid: [{ id: '1', provider: 'Demo', text: 'hi', utc: '2026-01-01T00:00:00Z', read: false }],
    wrong: { all: 1 },
    read: (home) => messageStore.list(home),
  },
  {
    name: 'users.json',
    rel: 'state/users.json',
    valid: { Demo: 'alice' },
    wrong: { Demo: { user: 'alice' } },
    read: async (home) => (await rememberedUsers.get(home, 'Demo', 'PASSWD')) ?? [],
  },
  {
    name: 'pending-approvals.json',
    rel: 'state/pending-approvals.json',
    valid: [{ provider: 'Demo', service: 'S', since: 'x', lastPolled: 'x', approvalOngoing: true }],
    wrong: [{ provider: 1 }],
    read: (home) => pendingApprovals.list(home),
  },
  {
    name: 'scanner.json',
    rel: 'state/scanner.json',
    valid: { version: 1, sent: {}, oneShotDone: {}, lastScans: [], serverSettings: {} },
    wrong: { lastScans: 'none' },
    read: async (home) => (await readScannerState(home)).lastScans,
  },
  {
    name: 'disclaimers.json',
    rel: 'state/disclaimers.json',
    valid: {},
    wrong: { a: 'b' },
    read: (home) => new DisclaimerState(path.join(home, 'state')).list(),
  },
  {
    name: 'provider.json',
    rel: 'providers/Demo/provider.json',
    valid: { kind: 'keytalk', name: 'Demo', services: [] },
    wrong: { kind: 'keytalk', name: 7 },
    read: (home) => listProviders(home),
  },
];

const damages: Record<string, (valid: unknown, wrong: unknown) => string> = {
  truncated: (valid) => JSON.stringify(valid).slice(0, -3),
  empty: () => '',
  garbage: () => '\u0000\u00ff not json at all {{{',
  'wrong shape': (_valid, wrong) => JSON.stringify(wrong),
};

let seen: StateDamage[] = [];
const stop = onStateDamaged((d) => seen.push(d));
afterAll(stop);
afterEach(() => {
  seen = [];
});

describe('damaged state files are moved aside, reported and read as empty', () => {
  for (const f of files) {
    for (const [how, make] of Object.entries(damages)) {
      it(`${f.name}, ${how}`, async () => {
        const home = tmpHome();
        const file = path.join(home, f.rel);
        mkdirSync(path.dirname(file), { recursive: true });
        const body = make(f.valid, f.wrong);
        writeFileSync(file, body);
        await expect(f.read(home)).resolves.toEqual([]);
        expect(existsSync(file)).toBe(false);
        const kept = readdirSync(path.dirname(file)).filter((n) => n.startsWith(`${f.name}.damaged-`));
        expect(kept).toHaveLength(1);
        expect(readFileSync(path.join(path.dirname(file), kept[0]!), 'utf8')).toBe(body);
        expect(seen).toEqual([expect.objectContaining({ file, movedTo: path.join(path.dirname(file), kept[0]!) })]);
        const repaired = await repairedFiles(home);
        expect(repaired.map((r) => r.name)).toEqual([f.name]);
      });
    }
  }
});

describe('the defects the fault probe found', () => {
  it('enrollments.json = [] no longer swallows the next record: it is moved aside and the record kept', async () => {
    const home = tmpHome();
    writeFileSync(path.join(home, 'state', 'enrollments.json'), '[]');
    await enrollments.put(home, record);
    expect(await enrollments.get(home, 'ab12')).toEqual(record);
    expect(JSON.parse(readFileSync(path.join(home, 'state', 'enrollments.json'), 'utf8'))).toEqual({ AB12: record });
  });

  it('damaged messages.json and users.json do not block the writes enroll makes', async () => {
    const home = tmpHome();
    writeFileSync(path.join(home, 'state', 'messages.json'), '{"all":');
    writeFileSync(path.join(home, 'state', 'users.json'), '[1,2');
    await expect(messageStore.add(home, 'Demo', [{ text: 'new', utc: '2026-01-01T00:00:00Z' }])).resolves.toBe(1);
    await rememberedUsers.set(home, 'Demo', 'PASSWD', 'alice');
    expect(await rememberedUsers.get(home, 'Demo', 'PASSWD')).toBe('alice');
  });

  it('`status` names the damaged file and where it is kept; `providers` does not just say "none imported"', async () => {
    const home = tmpHome();
    writeFileSync(path.join(home, 'state', 'schedule.json'), '{"version":1,"jobs":[{"id"');
    mkdirSync(path.join(home, 'providers', 'Demo'), { recursive: true });
    writeFileSync(path.join(home, 'providers', 'Demo', 'provider.json'), 'garbage');
    const run = async (args: string[]) => {
      let out = '';
      const stdout = new PassThrough().on('data', (c) => (out += c));
      const stderr = new PassThrough().on('data', (c) => (out += c));
      const code = await runCli([...args, '--home', home], { stdout, stderr, stdin: new PassThrough(), env: {} });
      return { code, out };
    };
    const providers = await run(['providers']);
    expect(providers.code).toBe(0);
    expect(providers.out).toMatch(/provider\.json was found damaged .* moved aside to .*provider\.json\.damaged-.*re-import/);
    const status = await run(['status']);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/warning: schedule\.json was found damaged .* moved aside to .*schedule\.json\.damaged-/);
    expect(status.out).toMatch(/warning: provider\.json was found damaged/);
  });
});
