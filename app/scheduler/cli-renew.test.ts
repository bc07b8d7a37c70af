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
    await new FileKeySecretStore(homeLayout(home).secrets).set(
      credentialSecretKey('Demo', 'SHORT'),
      JSON.stringify({ USERID: 'DemoUser', PASSWD: 'secret' }),
    );

    const notDue = await cli(['renew', '--json']);
    expect(notDue.code, notDue.stderr).toBe(EXIT.ok);
    expect(JSON.parse(notDue.stdout)).toEqual([
      expect.objectContaining({
        sha256Fingerprint: first.sha256Fingerprint,
        ran: false,
        outcome: expect.stringMatching(/^not due: renew from .*expiration margin is 10 min/),
      }),
    ]);

    const forced = await cli(['renew', '--service', 'SHORT', '--force', '--json']);
    expect(forced.code, forced.stderr).toBe(EXIT.ok);
    expect(JSON.parse(forced.stdout)).toEqual([expect.objectContaining({ ran: true, outcome: 'renewed' })]);
    const certs = JSON.parse((await cli(['certs', '--json'])).stdout) as { sha256Fingerprint: string }[];
    expect(certs.map((c) => c.sha256Fingerprint)).not.toContain(first.sha256Fingerprint);
    expect(certs).toHaveLength(1);

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
});
