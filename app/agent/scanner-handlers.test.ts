import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { credentialSecretKey } from '../engine/state';
import { dispatch } from '../ipc/dispatcher';
import { inspectCertificate } from '../scanner/classify';
import { scannerSettingsFile } from '../scanner/settings';
import { makeKey, purposeMix } from '../../test-support/scanner/test-certs';
import { MemorySecretStore } from '../system/secret-store';
import { createAgent, type AgentRuntime } from './index';
import { importRccdFile } from '../../test-support/agent/agent-helpers';

/** The scanner channels of the real core against a real home and the simulator asking for scraping. */
let kt: TempSimulator;
let tmp: string;
let agent: AgentRuntime;
let folder: string;
let mix: ReturnType<typeof purposeMix>;

const call = async (channel: string, payload: unknown) => {
  const r = await dispatch(agent.handlers, channel, payload);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as Record<string, unknown>;
};
const sha1 = (der: Buffer) => inspectCertificate(der).sha1.toLowerCase();

beforeAll(async () => {
  kt = await startTempSimulator('kt-agent-scan-', {
    providers: [
      {
        name: 'Acme',
        services: [
          {
            name: 'ALL',
            credentials: ['USERID', 'PASSWD'],
            certScraping: {
              schedule: 'on-successful-authentication',
              certPurposes: ['client-auth', 'server-auth'],
              certStoreTypes: ['personal'],
            },
          },
        ],
        users: [{ id: 'alice', password: 's3cret' }],
      },
    ],
  });
  tmp = kt.dir;
  const secretStore = new MemorySecretStore();
  await secretStore.set(credentialSecretKey('Acme', 'ALL'), JSON.stringify({ USERID: 'alice', PASSWD: 's3cret' }));
  // mailUserHome is the user's OS home for the core: an empty one keeps this machine's NSS databases out.
  await fs.mkdir(path.join(tmp, 'user'));
  agent = createAgent({ home: path.join(tmp, 'home'), secretStore, userHome: path.join(tmp, 'user'), scheduler: false });
  await importRccdFile(agent, kt.sim.rccds.Acme!);
  mix = purposeMix(makeKey(), 'core');
  folder = path.join(tmp, 'certs');
  await fs.mkdir(folder);
  for (const [name, c] of Object.entries(mix)) await fs.writeFile(path.join(folder, `${name}.pem`), c.pem);
}, 60_000);
afterAll(async () => {
  await agent?.stop();
  await kt?.stop();
});

describe('scanner channels of the core', () => {
  it('report on a fresh home: default settings, no scans', async () => {
    expect(await call('scanner:report', {})).toEqual({
      local: { scanningEnabled: true, folders: [], nssDbs: [], includeExpired: false, sendPrivateKeys: false },
      locked: {},
      targets: [],
      lastScans: [],
    });
  });

  it('settings-set validates (absolute paths, known keys) and writes the file, keeping file-only limits', async () => {
    await fs.mkdir(path.join(tmp, 'home', 'state'), { recursive: true });
    await fs.writeFile(scannerSettingsFile(path.join(tmp, 'home')), JSON.stringify({ maxBatchCerts: 2 }));
    await expect(call('scanner:settings-set', { folders: ['relative/certs'] })).rejects.toThrow(
      /"relative\/certs" is not an absolute path/,
    );
    await expect(call('scanner:settings-set', { folder: [folder] })).rejects.toThrow(/invalid-request|Unrecognized key/);
    const saved = await call('scanner:settings-set', { folders: [folder, `${folder}/`], sendPrivateKeys: true });
    expect(saved).toEqual({ scanningEnabled: true, folders: [folder], nssDbs: [], includeExpired: false, sendPrivateKeys: true });
    expect(JSON.parse(await fs.readFile(scannerSettingsFile(path.join(tmp, 'home')), 'utf8'))).toEqual({
      maxBatchCerts: 2,
      folders: [folder],
      sendPrivateKeys: true,
    });
    expect(await call('scanner:settings-set', { sendPrivateKeys: false })).toMatchObject({
      folders: [folder],
      sendPrivateKeys: false,
    });
  });

  it('scan-now dry run lists what would be sent; nothing reaches the server', async () => {
    const r = await call('scanner:scan-now', { dryRun: true, provider: 'Acme', service: 'ALL' });
    expect(r).toMatchObject({ summary: { status: 'dry-run', target: 'Acme/ALL', sent: 0, matched: 2 }, more: 0 });
    const outcomes = (r.certificates as { outcome: string }[]).map((c) => c.outcome);
    expect(outcomes).toEqual(['would-send', 'would-send']);
    expect(await (await fetch(`${kt.sim.control}/store-certs`)).json()).toEqual([]);
  });

  it('scan-now sends; the report shows the server settings, the run and the count recorded per target', async () => {
    const r = await call('scanner:scan-now', { provider: 'Acme', service: 'ALL' });
    expect(r.summary).toMatchObject({ status: 'done', sent: 2, stored: 0, skippedByServer: 2 });
    const received = (await (await fetch(`${kt.sim.control}/store-certs`)).json()) as { skipped: string[]; user: string }[];
    // maxBatchCerts 2 from the file: both in one request, skipped because no keys were sent (no consent).
    expect(received).toHaveLength(1);
    expect(received[0]!.user).toBe('alice');
    expect(received[0]!.skipped.sort()).toEqual([sha1(mix.client.der), sha1(mix.server.der)].sort());
    const report = await call('scanner:report', {});
    expect(report.targets).toEqual([
      {
        target: 'Acme/ALL',
        settings: {
          schedule: 'on-successful-authentication',
          purposes: ['client-auth', 'server-auth'],
          storeTypes: ['personal'],
          at: expect.any(String),
        },
        sent: 2,
        stored: 0,
        skipped: 2,
      },
    ]);
    const scans = report.lastScans as { status: string; scanned: { source: string; certificates: number }[] }[];
    expect(scans.map((s) => s.status)).toEqual(['done', 'dry-run']);
    expect(scans[0]!.scanned.find((s) => s.source.includes(folder))?.certificates).toBe(Object.keys(mix).length);
  });

  it('scan-now for a provider that was never imported names it', async () => {
    await expect(call('scanner:scan-now', { provider: 'Nope', service: 'X' })).rejects.toThrow(/Nope/);
  });
});
