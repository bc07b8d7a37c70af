import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { createAgent } from '../agent/create-agent';
import { EXIT } from '../cli/exit-codes';
import { dispatch } from '../ipc/dispatcher';
import type { DoctorCheck, DoctorReport } from '../ipc/doctor-contract';
import { createStores } from '../stores/registry';
import { FileKeySecretStore } from '../system/file-key-secret-store';
import { runDoctor } from './run-doctor';

/**
 * `keytalk-agent doctor` against the real simulator: every step of a connection, as a helpdesk would run it.
 * Spec 2.5 (hello/handshake, "server-utc"), 2.x error 1003 ErrTimeOutOfSync, Public API 3.2.7 (version) and
 * 3.2.12 (health-check: 200 operational, 521 not).
 */
let kt: TempSimulator;
let home: string;
const noPolicy = async () => ({ policy: {}, warnings: [], sources: [], rccdDir: '' });

beforeAll(async () => {
  kt = await startTempSimulator('kt-doctor-', {
    providers: [{ name: 'Acme', services: [{ name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} }] }],
  });
  home = path.join(kt.dir, 'home');
  expect((await runCliCaptured(['rccd', 'import', kt.sim.rccds.Acme!], { home })).code).toBe(EXIT.ok);
});
afterAll(async () => {
  await kt?.stop();
});

const control = (p: string, body: object) => fetch(`${kt.sim.control}/${p}`, { method: 'POST', body: JSON.stringify(body) });
const byId = (r: DoctorReport, id: string) => r.checks.find((c) => c.id === id && c.scope === 'Acme') as DoctorCheck;
const doctor = (now?: () => number) =>
  runDoctor({
    home,
    stores: () => createStores({ home, enabled: ['file'] }),
    secretStore: new FileKeySecretStore(path.join(home, 'secrets')),
    policy: noPolicy,
    timeoutMs: 3000,
    ...(now ? { now } : {}),
  });

describe('keytalk-agent doctor', () => {
  it('passes every check against a healthy server, one line each, and exits 0', async () => {
    const run = await runCliCaptured(['doctor', '--json'], { home });
    expect(run.code, run.stdout + run.stderr).toBe(EXIT.ok);
    const report = JSON.parse(run.stdout) as DoctorReport;
    expect(report.ok).toBe(true);
    const acme = report.checks.filter((c) => c.scope === 'Acme');
    expect(acme.map((c) => [c.id, c.status])).toEqual([
      ['dns', 'pass'],
      ['tcp', 'pass'],
      ['tls', 'pass'],
      ['rcdp', 'pass'],
      ['clock', 'pass'],
      ['public-api', 'pass'],
      ['health', 'pass'],
    ]);
    expect(byId(report, 'rcdp').data).toMatchObject({ version: '2.8.3' });
    expect(report.checks.filter((c) => c.scope === 'local').map((c) => c.id)).toEqual(
      expect.arrayContaining(['home', 'store', 'secret-store', 'policy']),
    );
    const text = await runCliCaptured(['doctor'], { home });
    expect(text.code).toBe(EXIT.ok);
    expect(text.stdout).toMatch(/^ok +Acme +tls +TLSv1\.[23] with .* \(the RCCD's server CA\)/m);
    expect(text.stdout).toContain('all checks passed');
  });

  it('a server certificate not issued by the RCCD SCA: the TLS line fails with the explanation, exit 6', async () => {
    expect((await control('tls', { mode: 'user-ca' })).status).toBe(200);
    try {
      const run = await runCliCaptured(['doctor', '--json', '--provider', 'Acme'], { home });
      expect(run.code).toBe(EXIT.tls);
      const report = JSON.parse(run.stdout) as DoctorReport;
      expect(byId(report, 'tls')).toMatchObject({
        status: 'fail',
        summary: expect.stringContaining("not issued by this provider's server communication CA (SCA)"),
      });
      expect(byId(report, 'rcdp')).toMatchObject({ status: 'skip', summary: 'not checked: TLS failed' });
      // The window gets the same coded sentence `enroll` shows for this refusal.
      expect(byId(report, 'tls').summaryText?.code).toMatch(/^tls\./);
      expect(byId(report, 'rcdp').summaryText).toMatchObject({ code: 'doctor.skipped', params: { step: 'TLS' } });
    } finally {
      await control('tls', { mode: 'normal' });
    }
  });

  it('an unhealthy server (health-check 521): the health line fails with the server’s words, exit 7', async () => {
    await control('health', { healthy: false });
    try {
      const run = await runCliCaptured(['doctor', '--json'], { home });
      expect(run.code).toBe(EXIT.serverError);
      expect(byId(JSON.parse(run.stdout) as DoctorReport, 'health')).toMatchObject({
        status: 'fail',
        summary: expect.stringContaining('the server reports a problem'),
      });
    } finally {
      await control('health', { healthy: true });
    }
  });

  it('measures clock skew from server-utc: 2 minutes ahead is a warning with the seconds', async () => {
    const report = await doctor(() => Date.now() + 120_000);
    const clock = byId(report, 'clock');
    expect(clock.status).toBe('warn');
    expect(Number(clock.data?.skewSeconds)).toBeGreaterThanOrEqual(118);
    expect(Number(clock.data?.skewSeconds)).toBeLessThanOrEqual(122);
    expect(report.ok).toBe(true);
  });

  it('an hour ahead: the server refuses the handshake (1003) and the clock line says by how much', async () => {
    const report = await doctor(() => Date.now() + 3_600_000);
    expect(byId(report, 'rcdp').status).toBe('fail');
    expect(byId(report, 'clock')).toMatchObject({
      status: 'fail',
      summary: expect.stringMatching(/clock is 3(59\d|60\d) s ahead of the server's/),
    });
    expect(report.ok).toBe(false);
  });

  it('an unknown provider is refused with the list (exit 2)', async () => {
    const run = await runCliCaptured(['doctor', '--provider', 'Nope'], { home });
    expect(run.code).toBe(EXIT.badInput);
    expect(run.stderr).toContain('unknown provider "Nope"; providers: Acme');
  });

  it("the core answers doctor:run (the UI's Test connection) with the same checks", async () => {
    const agent = createAgent({ home, userHome: path.join(home, '..', 'user'), scheduler: false });
    const reply = await dispatch(agent.handlers, 'doctor:run', { provider: 'Acme' });
    expect(reply.ok).toBe(true);
    const report = (reply as { value: DoctorReport }).value;
    expect(byId(report, 'rcdp')).toMatchObject({ status: 'pass', data: { version: '2.8.3' } });
    expect(byId(report, 'health').status).toBe('pass');
    // Issue 19: every line reaches the window coded (doctor.*, or the TLS explanation's tls.*), its English the CLI's.
    expect(report.checks.filter((c) => !c.summaryText).map((c) => `${c.scope} ${c.id}`)).toEqual([]);
    for (const c of report.checks) expect(c.summaryText!.message).toBe(c.summary);
    expect(byId(report, 'dns').summaryText).toMatchObject({ code: 'doctor.dns-ip', params: { host: '127.0.0.1' } });
    await agent.stop();
  });

  // Last: it stops the server.
  it('a stopped server: TCP fails (connection refused), the rest is skipped, exit 5', async () => {
    await kt.sim.stop();
    const run = await runCliCaptured(['doctor', '--json'], { home });
    expect(run.code).toBe(EXIT.network);
    const report = JSON.parse(run.stdout) as DoctorReport;
    expect(byId(report, 'dns').status).toBe('pass');
    expect(byId(report, 'tcp')).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('refused'),
      summaryText: { code: 'doctor.tcp-refused', params: { port: expect.any(Number) } },
    });
    // The CLI's --json failure fields (app/cli/README.md), the first failed line as the message.
    expect(report).toMatchObject({
      status: 'failed',
      code: 'network',
      exitCode: EXIT.network,
      message: expect.stringMatching(/^Acme tcp: connection to/),
    });
    expect(run.stderr).toBe('');
    expect(byId(report, 'tls').status).toBe('skip');
  });
});
