import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeytalkSimulator } from '../../../simulators/keytalk/index';
import { startTempSimulator, type TempSimulator } from '../../../simulators/keytalk/temp-simulator';
import { homeLayout } from '../../config/home';
import { credentialSecretKey } from '../../engine/state';
import { inspectCertificate } from '../../scanner/classify';
import { readScannerState } from '../../scanner/state';
import { makeKey, purposeMix } from '../../../test-support/scanner/test-certs';
import { FileKeySecretStore } from '../../system/file-key-secret-store';
import { EXIT } from '../exit-codes';
import { runCliCaptured } from '../../../test-support/cli/run-cli-captured';

let kt: TempSimulator;
let sim: KeytalkSimulator;
let tmp: string;
let home: string;
let folder: string;
let mix: ReturnType<typeof purposeMix>;

async function cli(args: string[]) {
  // HOME points at an empty folder: the machine's own NSS databases and Firefox profiles stay out of the test.
  return runCliCaptured(args, { home, env: { HOME: tmp } });
}

beforeAll(async () => {
  kt = await startTempSimulator('kt-cli-scan-', {
    providers: [
      {
        name: 'Acme',
        services: [
          {
            name: 'ALL',
            credentials: ['USERID', 'PASSWD'],
            certScraping: {
              schedule: 'on-successful-authentication',
              certPurposes: ['smime', 'client-auth', 'server-auth'],
              certStoreTypes: ['personal'],
            },
          },
          {
            name: 'NEVER',
            credentials: ['USERID', 'PASSWD'],
            certScraping: { schedule: 'never', certPurposes: [], certStoreTypes: [] },
          },
        ],
        users: [{ id: 'alice', password: 's3cret' }],
      },
    ],
  });
  ({ sim, dir: tmp } = kt);
  home = path.join(tmp, 'home');
  expect((await cli(['rccd', 'import', sim.rccds.Acme!])).code).toBe(EXIT.ok);
  const secrets = new FileKeySecretStore(homeLayout(home).secrets);
  for (const s of ['ALL', 'NEVER'])
    await secrets.set(credentialSecretKey('Acme', s), JSON.stringify({ USERID: 'alice', PASSWD: 's3cret' }));
  mix = purposeMix(makeKey(), 'cli');
  folder = path.join(tmp, 'certs');
  await fs.mkdir(folder);
  for (const [name, c] of Object.entries(mix)) await fs.writeFile(path.join(folder, `${name}.pem`), c.pem);
  await fs.writeFile(path.join(folder, 'broken.der'), 'junk');
}, 60_000);
afterAll(async () => {
  await kt?.stop();
});

describe('keytalk-agent scan', () => {
  it('--dry-run --json shows what would be sent and sends nothing', async () => {
    const r = await cli(['scan', '--provider', 'Acme', '--service', 'ALL', '--folder', folder, '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const rep = JSON.parse(r.stdout);
    expect(rep.status).toBe('dry-run');
    expect(rep.settings).toMatchObject({ schedule: 'on-successful-authentication', storeTypes: ['personal'] });
    expect(rep.items.map((i: { sha256: string }) => i.sha256).sort()).toEqual(
      [mix.server, mix.client, mix.smime].map((c) => inspectCertificate(c.der).sha256).sort(),
    );
    expect(rep.skippedItems.map((s: { location: string }) => path.basename(s.location))).toContain('broken.der');
    expect((await readScannerState(home)).sent['Acme/ALL']).toBeUndefined();
  });

  it('sends, records, and reports nothing new the next time (human output)', async () => {
    const r = await cli(['scan', '--provider', 'Acme', '--service', 'ALL', '--folder', folder, '--json']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'done', batches: 1 });
    expect(Object.keys((await readScannerState(home)).sent['Acme/ALL']!)).toHaveLength(3);
    const again = await cli(['scan', '--provider', 'Acme', '--service', 'ALL', '--folder', folder]);
    expect(again.code).toBe(EXIT.ok);
    expect(again.stdout).toMatch(
      /server settings: schedule on-successful-authentication; purposes smime, client-auth, server-auth; store types personal/,
    );
    expect(again.stdout).toMatch(/already-sent/);
    expect(again.stdout).toMatch(/0 certificate\(s\) sent in 0 request\(s\)/);
    expect(again.stdout).toMatch(/skipped .*broken\.der: neither PEM nor DER/);
  });

  it('obeys schedule never', async () => {
    const r = await cli(['scan', '--provider', 'Acme', '--service', 'NEVER', '--folder', folder]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/schedule "never"\); nothing scanned/);
  });

  it('without an enrollment or --provider/--service it is bad input', async () => {
    const r = await cli(['scan']);
    expect(r.code).toBe(EXIT.badInput);
    expect(r.stderr).toMatch(/give --provider and --service/);
  });
});

describe('keytalk-agent scan report (after the scans above)', () => {
  it('--json: per server what it asked and what was recorded as sent, and the runs newest first', async () => {
    const r = await cli(['scan', 'report', '--json']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const rep = JSON.parse(r.stdout);
    const all = rep.targets.find((t: { target: string }) => t.target === 'Acme/ALL');
    expect(all).toMatchObject({ sent: 3, settings: { schedule: 'on-successful-authentication', storeTypes: ['personal'] } });
    expect(rep.targets.find((t: { target: string }) => t.target === 'Acme/NEVER')).toMatchObject({
      sent: 0,
      settings: { schedule: 'never' },
    });
    expect(rep.lastScans.map((s: { status: string }) => s.status)).toEqual(['disabled', 'done', 'done', 'dry-run']);
    expect(rep.lastScans[2]).toMatchObject({ target: 'Acme/ALL', trigger: 'manual', sent: 3, matched: 3 });
    // What the simulator received agrees with what the agent recorded.
    const received = (await (await fetch(`${sim.control}/store-certs`)).json()) as { stored: string[]; skipped: string[] }[];
    expect(received.flatMap((x) => [...x.stored, ...x.skipped])).toHaveLength(all.sent);
  });

  it('human output: settings, a table per server, the runs and the last run’s sources', async () => {
    const r = await cli(['scan', 'report']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/^SERVER +SCHEDULE +PURPOSES +STORES +SENT$/m);
    expect(r.stdout).toMatch(
      /^Acme\/ALL +on-successful-authentication +smime,client-auth,server-auth +personal +3 \(0 stored, 3 skipped\)$/m,
    );
    expect(r.stdout).toMatch(/^\S+Z +Acme\/NEVER +manual +disabled +0 +0 +0 \(0 stored, 0 skipped\)/m);
    expect(r.stdout).toMatch(
      /sources of the last scan that scanned \(\S+, Acme\/ALL\):\n(.*\n)* {2}files in .*\[personal\]: 6 certificate\(s\)/,
    );
  });
});
