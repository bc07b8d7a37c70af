import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { EXIT } from '../cli/exit-codes';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { homeLayout } from '../config/home';
import { credentialSecretKey } from '../engine/state';
import { FileKeySecretStore } from '../system/file-key-secret-store';

// `keytalk-agent renew` and `status --json` end to end: real RCCD import, real enrollment, the simulator over
// HTTPS, credentials remembered in the home's 0600 secret store (what "remember for automatic renewal" keeps).
let kt: TempSimulator;
let home: string;

async function cli(args: string[], env: Record<string, string> = {}) {
  return runCliCaptured(args, { home, env });
}

beforeAll(async () => {
  kt = await startTempSimulator('kt-cli-renew-', {
    providers: [
      {
        name: 'Demo',
        services: [
          {
            name: 'SHORT',
            credentials: ['USERID', 'PASSWD'],
            cert: { lifetime: '1h', certExpirationMargin: 600, keepAliveInterval: '3600s' },
          },
          {
            // Due 5 s after it is issued (plus at most 1.2 s of jitter): short enough to wait for in a test.
            name: 'DUE',
            credentials: ['USERID', 'PASSWD'],
            cert: { lifetime: '2m', certExpirationMargin: 115, keepAliveInterval: '3600s' },
          },
        ],
        users: [{ id: 'DemoUser', password: 'secret' }],
      },
    ],
  });
  home = path.join(kt.dir, 'home');
});
afterAll(async () => {
  await kt?.stop();
});

describe('keytalk-agent renew / status', () => {
  it('renews only when due unless --force, and status --json explains when and why', async () => {
    expect((await cli(['rccd', 'import', kt.sim.rccds.Demo!])).code).toBe(EXIT.ok);
    const enrolled = await cli(['enroll', '--provider', 'Demo', '--service', 'SHORT', '--user', 'DemoUser', '--json'], {
      KEYTALK_PASSWORD: 'secret',
    });
    expect(enrolled.code, enrolled.stderr).toBe(EXIT.ok);
    const first = JSON.parse(enrolled.stdout) as { sha256Fingerprint: string };
    // Issue 18/22: status is true at once, before any daemon or tray app ran.
    const atOnce = JSON.parse((await cli(['status', '--json'])).stdout) as {
      certificates: { sha256Fingerprint: string; renewAt: string; reason: string }[];
    };
    expect(atOnce.certificates).toEqual([
      expect.objectContaining({ sha256Fingerprint: first.sha256Fingerprint, reason: expect.stringContaining('10 min') }),
    ]);
    await new FileKeySecretStore(homeLayout(home).secrets).set(
      credentialSecretKey('Demo', 'SHORT'),
      JSON.stringify({ USERID: 'DemoUser', PASSWD: 'secret' }),
    );

    const notDue = await cli(['renew', '--json']);
    expect(notDue.code, notDue.stderr).toBe(EXIT.ok);
    expect(JSON.parse(notDue.stdout)).toEqual({
      certificates: [
        expect.objectContaining({
          sha256Fingerprint: first.sha256Fingerprint,
          ran: false,
          outcome: expect.stringMatching(/^not due: renew from .*expiration margin is 10 min/),
        }),
      ],
      warnings: [],
    });

    // A typo in the service (a cron line) is an error naming the services there are, not "nothing due".
    const typo = await cli(['renew', '--service', 'SHROT', '--json']);
    expect(typo.code).toBe(EXIT.badInput);
    expect(JSON.parse(typo.stdout).message).toMatch(/no certificate of service "SHROT".*services with certificates: SHORT/);

    const forced = await cli(['renew', '--service', 'SHORT', '--force', '--json']);
    expect(forced.code, forced.stderr).toBe(EXIT.ok);
    expect(JSON.parse(forced.stdout)).toMatchObject({
      certificates: [expect.objectContaining({ ran: true, outcome: 'renewed' })],
    });
    const { certificates: certs } = JSON.parse((await cli(['certs', '--json'])).stdout) as {
      certificates: { sha256Fingerprint: string }[];
    };
    expect(certs.map((c) => c.sha256Fingerprint)).not.toContain(first.sha256Fingerprint);
    // One user certificate left (NSS, a default store on Linux, also holds the chain's CA certificates).
    expect(certs.filter((c) => (c as { service?: string }).service)).toHaveLength(1);

    const status = JSON.parse((await cli(['status', '--json'])).stdout) as {
      certificates: { sha256Fingerprint: string; renewAt: string; reason: string; state: string }[];
      keepAlive: { user: string; lastSuccessAt?: string }[];
    };
    expect(status.certificates).toEqual([
      expect.objectContaining({
        sha256Fingerprint: certs[0]!.sha256Fingerprint,
        state: 'scheduled',
        reason: expect.stringContaining('expiration margin is 10 min'),
      }),
    ]);
    expect(Date.parse(status.certificates[0]!.renewAt)).toBeGreaterThan(Date.now() + 45 * 60_000);
    expect(status.keepAlive).toEqual([expect.objectContaining({ user: 'DemoUser' })]);
    const text = await cli(['status']);
    expect(text.stdout).toMatch(/RENEW AT/);
  });

  it('a certificate that is due is renewed by a plain `renew` (cron use): "renewed", exit 0, the old one retired', async () => {
    const enrolled = await cli(['enroll', '--provider', 'Demo', '--service', 'DUE', '--user', 'DemoUser', '--json'], {
      KEYTALK_PASSWORD: 'secret',
    });
    expect(enrolled.code, enrolled.stderr).toBe(EXIT.ok);
    const old = JSON.parse(enrolled.stdout) as { sha256Fingerprint: string; notBefore: string };
    await new FileKeySecretStore(homeLayout(home).secrets).set(
      credentialSecretKey('Demo', 'DUE'),
      JSON.stringify({ USERID: 'DemoUser', PASSWD: 'secret' }),
    );
    const dueBy = Date.parse(old.notBefore) + 6_500;
    await new Promise((r) => setTimeout(r, Math.max(0, dueBy - Date.now())));
    const renewed = await cli(['renew', '--service', 'DUE', '--json']);
    const results = (
      JSON.parse(renewed.stdout) as { certificates: { sha256Fingerprint: string; ran: boolean; outcome: string }[] }
    ).certificates;
    expect(results).toContainEqual(
      expect.objectContaining({ sha256Fingerprint: old.sha256Fingerprint, ran: true, outcome: 'renewed' }),
    );
    // The renewed certificate is listed too, not due yet; nothing that ran failed.
    expect(results.filter((r) => r.ran && r.outcome !== 'renewed')).toEqual([]);
    expect(renewed.code, renewed.stderr).toBe(EXIT.ok);
    const { certificates: certs } = JSON.parse((await cli(['certs', '--json'])).stdout) as {
      certificates: { sha256Fingerprint: string; service?: string }[];
    };
    expect(certs.filter((c) => c.service === 'DUE')).toHaveLength(1);
    expect(certs.map((c) => c.sha256Fingerprint)).not.toContain(old.sha256Fingerprint);
    const status = JSON.parse((await cli(['status', '--json'])).stdout) as { certificates: { sha256Fingerprint: string }[] };
    expect(status.certificates.map((c) => c.sha256Fingerprint)).not.toContain(old.sha256Fingerprint);
  });

  it('local problems are found before the server is asked: --store bogus and an unwritable store issue nothing', async () => {
    const certRequests = () =>
      readFileSync(kt.sim.requestLog, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"action":"cert"')).length;
    const before = certRequests();
    const bogus = await cli(['enroll', '--provider', 'Demo', '--service', 'SHORT', '--user', 'DemoUser', '--store', 'bogus'], {
      KEYTALK_PASSWORD: 'secret',
    });
    expect(bogus.code).toBe(EXIT.badInput);
    expect(bogus.stderr).toMatch(/unknown store "bogus"/);
    // A certificates folder that cannot be created (a file is in its place; chmod means nothing to root).
    const other = path.join(kt.dir, 'home-unwritable');
    mkdirSync(other, { recursive: true });
    expect((await runCliCaptured(['rccd', 'import', kt.sim.rccds.Demo!], { home: other })).code).toBe(EXIT.ok);
    rmSync(path.join(other, 'certs'), { recursive: true, force: true });
    writeFileSync(path.join(other, 'certs'), 'not a folder');
    const blocked = await runCliCaptured(['enroll', '--provider', 'Demo', '--service', 'SHORT', '--user', 'DemoUser'], {
      home: other,
      env: { KEYTALK_PASSWORD: 'secret' },
    });
    expect(blocked.code).toBe(EXIT.storeFailed);
    expect(blocked.stderr).toMatch(/store file cannot take a certificate: cannot write .*nothing was requested from the server/);
    expect(certRequests()).toBe(before);
  });
});
