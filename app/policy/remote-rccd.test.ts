import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { createAgent } from '../agent/create-agent';
import { splitPemBlocks } from '../crypto/pem';
import { nullLogger } from '../log/logger';
import { listProviders } from '../rccd/provider-store';
import { forgetPolicy } from './load-policy';
import { importProvisioned, provisionAtStart } from './provisioned';
import { provisionedNames } from './provisioned-names';
import { RCCD_REFRESH_PERIOD_MS, refreshRecord } from './rccd-refresh';
import { fetchRemoteRccd, PinMismatchError } from './remote-rccd';

/**
 * Issue 20, providers fetched with the Public API "Download client configuration files" (spec 3.2.11,
 * GET /public/rccd?uid=<UID>) from the KeyTalk simulator: first fetch over a pinned SCA, refresh with a newer
 * ContentVersion over the installed RCCD's trust, a wrong pin refused, a tampered RCCD refused with the old one kept.
 */
let t: TempSimulator;
let scaPin: string;
let original: Buffer;
const uid = 'DEMO0123456789AB';

beforeAll(async () => {
  t = await startTempSimulator('kt-remote-rccd-', path.join(import.meta.dirname, '../../simulators/keytalk/fixtures/demo.yaml'));
  // The simulator's trust file is SCA + PCA + RCA; the SCA (spec 2.1: it issues the appliance's certificates) is pinned.
  scaPin = new X509Certificate(splitPemBlocks(await readFile(t.sim.caFile, 'utf8'), 'CERTIFICATE')[0]!).fingerprint256;
  original = await readFile(t.sim.rccds.Demo!);
});
afterAll(async () => {
  await t?.stop();
});

/** The simulator's RCCD with another ContentVersion (and optionally another SCA), as a server update would be. */
async function variant(version: number, sca?: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(original);
  for (const name of ['index.yaml', 'content/user.yaml', 'index.conf', 'content/user.ini']) {
    const text = await zip.file(name)!.async('string');
    zip.file(name, text.replace(/ContentVersion( ?[:=] ?)1\b/g, `ContentVersion$1${version}`));
  }
  if (sca) zip.file('content/SCA.der', sca);
  return zip.generateAsync({ type: 'nodebuffer' });
}

describe('rccd?uid provisioned providers (spec 3.2.11)', () => {
  it('a wrong pin is refused naming the pin and what the server presented; nothing is imported', async () => {
    const home = path.join(t.dir, 'home-wrong-pin');
    const err = await fetchRemoteRccd(home, { server: new URL(t.sim.url).host, uid, sha256: 'AB'.repeat(32) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PinMismatchError);
    expect((err as Error).message).toMatch(/no certificate with the pinned SHA-256 (AB){32}.*KeyTalk Simulator Communication CA/);
    expect(await listProviders(home)).toEqual([]);
  });

  it('first fetch over the pinned SCA, refresh with a newer version, a tampered RCCD refused with the old one kept', async () => {
    const home = path.join(t.dir, 'home');
    const source = { server: new URL(t.sim.url).host, uid, sha256: scaPin };
    expect(await fetchRemoteRccd(home, source)).toEqual({ name: 'Demo', status: 'imported', contentVersion: 1 });
    expect(await fetchRemoteRccd(home, source)).toMatchObject({ status: 'current', contentVersion: 1 });

    await writeFile(t.sim.rccds.Demo!, await variant(2));
    // The pin no longer matters once installed: the refresh goes over the installed RCCD's SCA.
    expect(await fetchRemoteRccd(home, { ...source, sha256: 'CD'.repeat(32) })).toEqual({
      name: 'Demo',
      status: 'imported',
      contentVersion: 2,
    });

    // Tampered: a newer version whose SCA is not the one that issued the server's certificate (here: the PCA).
    const pca = new X509Certificate(splitPemBlocks(await readFile(t.sim.caFile, 'utf8'), 'CERTIFICATE')[1]!).raw;
    await writeFile(t.sim.rccds.Demo!, await variant(3, pca));
    await expect(fetchRemoteRccd(home, source)).rejects.toThrow(
      /refused: its server CA \(SCA\) did not issue .*"Demo" \(ContentVersion 2\) is kept/,
    );
    // Broken on the way: not a zip at all.
    await writeFile(t.sim.rccds.Demo!, Buffer.from('PK\x03\x04 truncated'));
    await expect(fetchRemoteRccd(home, source)).rejects.toThrow();
    expect((await listProviders(home)).map((p) => [p.name, p.contentVersion])).toEqual([['Demo', 2]]);
    await writeFile(t.sim.rccds.Demo!, original);
  });

  it('a policy naming {server, uid, sha256} provisions the provider for a user (not removable)', async () => {
    const home = path.join(t.dir, 'home-policy');
    const source = { server: new URL(t.sim.url).host, uid, sha256: scaPin };
    const r = await importProvisioned(home, {
      policy: { providers: [source] },
      warnings: [],
      sources: [],
      rccdDir: '/nonexistent',
    });
    expect(r).toEqual({ names: ['Demo'], warnings: [] });
    expect(await provisionedNames(home)).toEqual(['Demo']);
  });

  it('a failed refresh reaches `status --json` and the agent state, not only the log; a good one clears it', async () => {
    const home = path.join(t.dir, 'home-status');
    const policyDir = path.join(t.dir, 'policy-status');
    await mkdir(policyDir, { recursive: true });
    const server = new URL(t.sim.url).host;
    const policy = (sha256: string) =>
      writeFile(path.join(policyDir, 'policy.json'), JSON.stringify({ providers: [{ server, uid, sha256 }] }));
    const warnings = async () =>
      (JSON.parse((await runCliCaptured(['status', '--json'], { home })).stdout) as { policy: { warnings: string[] } }).policy
        .warnings;
    process.env.KEYTALK_AGENT_POLICY_DIR = policyDir;
    try {
      await policy('AB'.repeat(32));
      forgetPolicy();
      await provisionAtStart(home, nullLogger);
      const said = await warnings();
      expect(said).toEqual([expect.stringMatching(new RegExp(`provisioned RCCD uid ${uid} from ${server}: .*pinned SHA-256`))]);
      const agent = createAgent({ home, userHome: `${home}.user`, scheduler: false, log: nullLogger });
      expect((await agent.handlers['agent:get-state']({})).policyWarnings).toEqual(said);
      await policy(scaPin);
      forgetPolicy();
      await provisionAtStart(home, nullLogger);
      expect(await warnings()).toEqual([]);
      expect((await agent.handlers['agent:get-state']({})).policyWarnings).toBeUndefined();
      await agent.stop();
    } finally {
      delete process.env.KEYTALK_AGENT_POLICY_DIR;
      forgetPolicy();
    }
  });

  it('rccd?uid refresh: fetched when due, a restart keeps the due time, a busy server backs it off', async () => {
    const home = path.join(t.dir, 'home-refresh');
    const source = { server: new URL(t.sim.url).host, uid, sha256: scaPin };
    const loaded = { policy: { providers: [source] }, warnings: [], sources: [], rccdDir: '/nonexistent' };
    // The simulator's request log (control /log), written before its reply is sent.
    const fetches = async () =>
      ((await (await fetch(`${t.sim.control}/log`)).json()) as { path: string; fields?: { uid?: string } }[]).filter(
        (e) => e.path.endsWith('/rccd') && e.fields?.uid === uid,
      ).length;
    let now = Date.UTC(2026, 0, 5, 9);
    const clock = { now: () => now };
    const before = await fetches();
    expect(await importProvisioned(home, loaded, clock)).toEqual({ names: ['Demo'], warnings: [] });
    expect(await fetches()).toBe(before + 1);
    const due = (await refreshRecord(home, source))!.dueAt;
    expect(due - now).toBeGreaterThanOrEqual(RCCD_REFRESH_PERIOD_MS / 2); // the first refresh, spread
    // The machine restarts an hour later: the provider is there, nothing is fetched, the due time is the same.
    now += 3_600_000;
    expect(await importProvisioned(home, loaded, clock)).toEqual({ names: ['Demo'], warnings: [] });
    expect(await fetches()).toBe(before + 1);
    expect((await refreshRecord(home, source))!.dueAt).toBe(due);
    // Due, and the server is busy: 503 with Retry-After 40 min. The installed provider is kept, the wait honoured.
    const fault = await fetch(`${t.sim.control}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: '/rccd', kind: 'status', status: 503, retryAfter: '2400', times: 1 }),
    });
    expect(fault.status).toBe(201);
    now = due;
    const busy = await importProvisioned(home, loaded, clock);
    expect(busy.names).toEqual(['Demo']);
    expect(busy.warnings).toEqual([expect.stringMatching(/uid DEMO0123456789AB .*HTTP 503.*wait 40 min/)]);
    expect(await fetches()).toBe(before + 2);
    const backedOff = (await refreshRecord(home, source))!;
    expect(backedOff.failures).toBe(1);
    expect(backedOff.dueAt - now).toBeGreaterThanOrEqual(40 * 60_000);
    // Before then nothing is asked, and the warning stays; after it, the refresh succeeds and clears it.
    now += 30 * 60_000;
    expect((await importProvisioned(home, loaded, clock)).warnings).toEqual([expect.stringMatching(/HTTP 503.*next attempt/)]);
    expect(await fetches()).toBe(before + 2);
    now = backedOff.dueAt;
    expect(await importProvisioned(home, loaded, clock)).toEqual({ names: ['Demo'], warnings: [] });
    expect(await fetches()).toBe(before + 3);
    expect((await refreshRecord(home, source))!.failures).toBe(0);
  });
});
