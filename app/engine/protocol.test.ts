import { promises as fs } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FixtureInput } from '../../simulators/keytalk/index';
import { SUPPORTED_VERSIONS, atLeast } from '../rcdp/versions';
import { runEnrollment, type EnrollRequest } from './enroll';
import type { FlowOutcome } from '../model/flow-types';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';

const fixture: FixtureInput = {
  server: { minRcdpVersion: '2.0.0', maxRcdpVersion: '2.8.3' },
  providers: [
    {
      name: 'Demo',
      services: [
        { name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} },
        { name: 'OTP', credentials: ['USERID', 'PASSWD', 'OTP'], cert: {} },
        { name: 'CSR', credentials: ['USERID', 'PASSWD'], cert: { csrSubject: { cn: '', o: 'KeyTalk Demo' } } },
        { name: 'HUGEKEY', credentials: ['USERID', 'PASSWD'], cert: { keySize: 1_000_000 } },
      ],
      users: [{ id: 'alice', password: 'secret', otp: '111222' }],
    },
  ],
};

interface LogEntry {
  method: string;
  path: string;
  action?: string;
  version?: string;
  status: number;
  fault?: string;
}

let h: SimHarness;
beforeAll(async () => {
  h = await startSimHarness(fixture);
});
afterAll(async () => h?.stop());
beforeEach(async () => {
  await h.control('/faults', undefined, 'DELETE');
});

const alice = () => creds({ USERID: 'alice', PASSWD: 'secret' });
async function enroll(
  req: Partial<EnrollRequest>,
  deps = h.deps(),
  answers: Parameters<typeof scriptedTestFrontEnd>[0] = () => alice(),
) {
  const t = scriptedTestFrontEnd(answers);
  return runEnrollment({ provider: 'Demo', service: 'PASSWD', ...req }, t.fe, deps);
}
async function log(): Promise<LogEntry[]> {
  return (await h.control('/log')) as LogEntry[];
}
async function storedCount(): Promise<number> {
  const entries = await fs.readdir(path.join(h.home, 'certs')).catch(() => []);
  return entries.filter((e) => /^[0-9A-F]{64}$/.test(e)).length;
}
function expectIssued(o: FlowOutcome): void {
  if (o.status !== 'issued') expect.fail(`expected issued, got ${JSON.stringify(o)}`);
}

/** CSR signing where its wire form changes (introduced, POST era, multi-OU subjects, newest): keeps the suite fast. */
const CSR_VERSIONS: string[] = ['2.2.0', '2.3.0', '2.8.0', '2.8.3'];

describe('every protocol version from 2.0.0 to 2.8.3', () => {
  for (const v of [...SUPPORTED_VERSIONS].reverse()) {
    it(`RCDP ${v}: negotiates ${v}, uses the version's methods, enrolls${CSR_VERSIONS.includes(v) ? ' (server key and CSR)' : ''}`, async () => {
      const before = (await log()).length;
      const deps = h.deps({ rcdp: { versions: [v], retry: { retries: 0, baseMs: 1, maxMs: 1 } } });
      expectIssued(await enroll({ format: atLeast(v, '2.7.0') ? 'P12v2' : 'P12' }, deps));
      if (CSR_VERSIONS.includes(v)) expectIssued(await enroll({ service: 'CSR', csr: true }, deps));
      const mine = (await log()).slice(before);
      expect(mine.every((e) => e.version === undefined || e.version === v)).toBe(true);
      const auth = mine.find((e) => e.action === 'authentication')!;
      expect(auth.method).toBe(atLeast(v, '2.3.0') ? 'POST' : 'GET');
      const cert = mine.find((e) => e.action === 'cert')!;
      expect(cert.method).toBe(atLeast(v, '2.4.0') ? 'POST' : 'GET');
      expect(mine.filter((e) => e.action === 'eoc').length).toBeGreaterThanOrEqual(1);
    });
  }

  it('OTP credential is "OTP" before 2.7.5 and "OTP/MFA" after', async () => {
    for (const v of ['2.7.4', '2.7.5']) {
      const deps = h.deps({ rcdp: { versions: [v] } });
      expectIssued(await enroll({ service: 'OTP' }, deps, [alice, () => ({ kind: 'otp', otp: '111222' })]));
    }
  });

  it('a one-time password is sent without the spaces it was typed or pasted with (2.6.2: one use per code)', async () => {
    expectIssued(await enroll({ service: 'OTP' }, h.deps(), [alice, () => ({ kind: 'otp', otp: ' 111 222\n' })]));
  });

  it('csr-requirements asking for a key size OpenSSL cannot make is a protocol error naming it, not an internal error (2.7.3)', async () => {
    const outcome = await enroll({ service: 'HUGEKEY', csr: true });
    expect(outcome).toMatchObject({ status: 'failed', code: 'protocol' });
    expect((outcome as { message: string }).message).toMatch(/1000000-bit key; the agent makes RSA keys of 2048 to 16384 bits/);
  }, 10_000);

  it('falls back from the newest version to what an older server proposes', async () => {
    const old = await startSimHarness({ ...fixture, server: { maxRcdpVersion: '2.3.0' } });
    try {
      const t = scriptedTestFrontEnd(() => alice());
      const outcome = await runEnrollment({ provider: 'Demo', service: 'PASSWD', format: 'P12v2' }, t.fe, old.deps());
      expectIssued(outcome);
      const entries = (await old.control('/log')) as LogEntry[];
      expect(entries[0]).toMatchObject({ action: 'hello', version: '2.8.3' });
      expect(entries.filter((e) => e.action === 'cert').every((e) => e.version === '2.3.0' && e.method === 'GET')).toBe(true);
    } finally {
      await old.stop();
    }
  });

  it('walks down the version list when the server refuses newer versions (ErrIncompatibleProtocolVersion / 404)', async () => {
    const deps = h.deps({ rcdp: { versions: ['9.0.0', '3.1.0', '2.7.9'] } });
    expectIssued(await enroll({}, deps));
  });

  it('an older server than any offered version ends with incompatible-version', async () => {
    const modern = await startSimHarness({ ...fixture, server: { minRcdpVersion: '2.7.4' } });
    try {
      const t = scriptedTestFrontEnd(() => alice());
      const outcome = await runEnrollment(
        { provider: 'Demo', service: 'PASSWD' },
        t.fe,
        modern.deps({ rcdp: { versions: ['2.3.0', '2.0.0'] } }),
      );
      expect(outcome).toMatchObject({
        status: 'failed',
        code: 'incompatible-version',
        message: expect.stringContaining('2.3.0'),
      });
    } finally {
      await modern.stop();
    }
  });

  it('versionless paths when chosen and the server is ≥ 2.7.6', async () => {
    const before = (await log()).length;
    expectIssued(await enroll({}, h.deps({ rcdp: { versionlessPaths: true } })));
    const mine = (await log()).slice(before);
    expect(mine.filter((e) => e.path.startsWith('/rcdp/')).every((e) => e.path.split('/').length === 3)).toBe(true);
  });
});

describe('fault injection: retries for safe steps, clean failures otherwise, never a half-written certificate', () => {
  it('503 on auth-requirements twice: retried with backoff, then issued', async () => {
    await h.control('/faults', { route: 'auth-requirements', kind: 'status', status: 503, times: 2 });
    const before = (await log()).length;
    expectIssued(await enroll({}));
    expect(
      (await log())
        .slice(before)
        .filter((e) => e.action === 'auth-requirements')
        .map((e) => e.status),
    ).toEqual([503, 503, 200]);
  });

  it('connection reset on hello: retried', async () => {
    await h.control('/faults', { route: '/hello', kind: 'reset', times: 1 });
    expectIssued(await enroll({}));
  });

  it('a slow handshake beyond the timeout: retried', async () => {
    await h.control('/faults', { route: '/handshake', kind: 'latency', ms: 1500, times: 1 });
    expectIssued(await enroll({}, h.deps({ rcdp: { timeoutMs: 500, retry: { retries: 2, baseMs: 1, maxMs: 5 } } })));
  });

  it('persistent 503 on csr-requirements: fails as server-error after the retries', async () => {
    await h.control('/faults', { route: 'csr-requirements', kind: 'status', status: 503 });
    const n = await storedCount();
    const outcome = await enroll({ service: 'CSR', csr: true });
    expect(outcome).toMatchObject({ status: 'failed', code: 'server-error', message: expect.stringContaining('503') });
    expect(await storedCount()).toBe(n);
  });

  for (const kind of ['status', 'reset', 'truncate', 'malformed-json'] as const) {
    it(`${kind} on cert: not retried (it issues), fails cleanly and stores nothing`, async () => {
      await h.control('/faults', { route: '/cert', kind, times: 1 });
      const n = await storedCount();
      const before = (await log()).length;
      const outcome = await enroll({});
      expect(outcome.status).toBe('failed');
      if (outcome.status !== 'failed') return;
      expect(['server-error', 'network', 'protocol']).toContain(outcome.code);
      if (kind === 'malformed-json') expect(outcome.message).toMatch(/reply to cert .*not JSON/);
      expect((await log()).slice(before).filter((e) => e.action === 'cert')).toHaveLength(1);
      expect(await storedCount()).toBe(n);
      const tmp = (await fs.readdir(path.join(h.home, 'certs')).catch(() => [])).filter((e) => e.startsWith('.tmp'));
      expect(tmp).toEqual([]);
    });
  }

  it('authentication is never retried (a repeat could lock the user)', async () => {
    await h.control('/faults', { route: '/authentication', kind: 'status', status: 502, times: 1 });
    const before = (await log()).length;
    expect(await enroll({})).toMatchObject({ status: 'failed', code: 'server-error' });
    expect((await log()).slice(before).filter((e) => e.action === 'authentication')).toHaveLength(1);
  });

  it('a server TLS certificate from a foreign CA is refused and explained; nothing is retried or stored', async () => {
    await h.control('/tls', { mode: 'foreign' });
    try {
      const n = await storedCount();
      // A fresh agent: the shared keep-alive one would reuse a connection set up before the switch.
      const agent = new https.Agent({ ca: await fs.readFile(h.sim.caFile, 'utf8') });
      const outcome = await enroll(
        {},
        h.deps({
          openProvider: async () => ({ name: 'Demo', server: h.server, agent, services: [{ name: 'PASSWD' }] }),
          rcdp: { retry: { retries: 3, baseMs: 1, maxMs: 2 } },
        }),
      );
      expect(outcome).toMatchObject({
        status: 'failed',
        code: 'tls',
        message: expect.stringMatching(/TLS certificate of 127\.0\.0\.1/),
      });
      expect(await storedCount()).toBe(n);
    } finally {
      await h.control('/tls', { mode: 'normal' });
    }
  });

  it('a clock an hour off: ErrTimeOutOfSync explained, code time-out-of-sync', async () => {
    const outcome = await enroll({}, h.deps({ rcdp: { now: () => Date.now() + 3_600_000 } }));
    expect(outcome).toMatchObject({
      status: 'failed',
      code: 'time-out-of-sync',
      message: expect.stringMatching(/clock .*correct the system date, time and time zone/),
    });
  });

  it('an unreachable server: network failure naming the address', async () => {
    const deps = h.deps({
      openProvider: async () => ({ name: 'Demo', server: '127.0.0.1:9', agent: h.agent, services: [{ name: 'PASSWD' }] }),
      rcdp: { retry: { retries: 1, baseMs: 1, maxMs: 2 } },
    });
    expect(await enroll({}, deps)).toMatchObject({
      status: 'failed',
      code: 'network',
      message: expect.stringContaining('127.0.0.1:9 refused the connection'),
      // coded for the UI's languages (app/model/core-text.ts)
      text: { code: 'network.refused', params: { host: '127.0.0.1:9' } },
    });
  });
});
