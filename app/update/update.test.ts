import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkForUpdate, deviceId } from './check';
import { compareVersions, rolloutBucket, shouldUpdate } from './decide';
import { downloadVerified, UpdateIntegrityError } from './download';
import { channelFile, parseChannelFile } from './feed';

/**
 * Issue 20, updates: the core's feed handling and decisions against a local HTTP feed laid out like electron-
 * updater's generic provider — a real latest-linux.yml / beta-linux.yml for a newer version, and the installer whose
 * sha512 it names. Installing needs Electron (main/app/updater.ts binds electron-updater to these decisions).
 */
let root: string;
let server: http.Server;
let base: string;
const requests: string[] = [];
const installer = Buffer.from('a newer KeyTalk Agent AppImage, byte for byte');
const sha512 = createHash('sha512').update(installer).digest('base64');
let staging: number | undefined;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'kt-update-'));
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const yml = (version: string, file: string, sum: string) =>
      stringify({
        version,
        files: [{ url: file, sha512: sum, size: installer.length }],
        path: file,
        sha512: sum,
        releaseDate: '2026-12-01T00:00:00.000Z',
        ...(staging !== undefined ? { stagingPercentage: staging } : {}),
      });
    if (req.url === '/feed/latest-linux.yml') return res.end(yml('0.2.0', 'keytalk-agent-0.2.0.AppImage', sha512));
    if (req.url === '/feed/beta-linux.yml') return res.end(yml('0.3.0-beta.1', 'tampered.AppImage', sha512));
    if (req.url === '/feed/keytalk-agent-0.2.0.AppImage') return res.end(installer);
    if (req.url === '/feed/tampered.AppImage') return res.end(Buffer.concat([installer, Buffer.from('!')]));
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`;
});
afterAll(async () => {
  server.close();
  await rm(root, { recursive: true, force: true });
});

describe('update feed and decisions (issue 20)', () => {
  it('names channel files as electron-updater does', () => {
    expect(channelFile('stable', 'win32')).toBe('latest.yml');
    expect(channelFile('stable', 'darwin')).toBe('latest-mac.yml');
    expect(channelFile('beta', 'linux', 'x64')).toBe('beta-linux.yml');
    expect(channelFile('stable', 'linux', 'arm64')).toBe('latest-linux-arm64.yml');
    expect(() => parseChannelFile('version: 1.0.0\n', 'x.yml')).toThrow(/x\.yml names no file with a sha512/);
  });

  it('checks the stable feed, offers the newer version, and downloads it verified by sha512', async () => {
    const home = path.join(root, 'home');
    const r = await checkForUpdate({ home, feedBase: base, current: '0.1.0', policy: {}, platform: 'linux', arch: 'x64' });
    expect(r).toMatchObject({ update: true, channel: 'stable', offered: { version: '0.2.0' } });
    const file = await downloadVerified(base, r.offered!.files[0]!, path.join(root, 'dl'));
    expect(await readFile(file)).toEqual(installer);
    // Already at that version: nothing to do.
    expect(
      (await checkForUpdate({ home, feedBase: base, current: '0.2.0', policy: {}, platform: 'linux', arch: 'x64' })).update,
    ).toBe(false);
  });

  it('the policy channel picks the beta feed; a file whose sha512 does not match is refused and not kept', async () => {
    const r = await checkForUpdate({
      home: path.join(root, 'home'),
      feedBase: base,
      current: '0.2.0',
      policy: { updateChannel: 'beta' },
      platform: 'linux',
      arch: 'x64',
    });
    expect(r).toMatchObject({ update: true, channel: 'beta', offered: { version: '0.3.0-beta.1' } });
    const dir = path.join(root, 'dl-beta');
    await expect(downloadVerified(base, r.offered!.files[0]!, dir)).rejects.toBeInstanceOf(UpdateIntegrityError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('updatesDisabled: no update and the feed is not asked', async () => {
    const before = requests.length;
    const r = await checkForUpdate({
      home: path.join(root, 'home'),
      feedBase: base,
      current: '0.1.0',
      policy: { updatesDisabled: true },
      platform: 'linux',
    });
    expect(r).toMatchObject({ update: false, reason: expect.stringMatching(/updatesDisabled/) });
    expect(requests.length).toBe(before);
  });

  it('a staged rollout admits devices by a stable bucket; raising the percentage only adds devices', async () => {
    const home = path.join(root, 'home');
    const id = await deviceId(home);
    expect(await deviceId(home)).toBe(id);
    expect(existsSync(path.join(home, 'state', 'device-id.json'))).toBe(true);
    const bucket = rolloutBucket(id);
    staging = Math.floor(bucket); // just below this device's bucket: not yet
    const out = await checkForUpdate({ home, feedBase: base, current: '0.1.0', policy: {}, platform: 'linux' });
    expect(out).toMatchObject({ update: false, reason: expect.stringMatching(/rolled out to \d+% of devices/) });
    staging = Math.ceil(bucket + 0.0001);
    expect((await checkForUpdate({ home, feedBase: base, current: '0.1.0', policy: {}, platform: 'linux' })).update).toBe(true);
    staging = undefined;
    // Over many devices the admitted share follows the percentage, and every device admitted at 10% is admitted at 50%.
    const ids = Array.from({ length: 2000 }, (_, i) => `device-${i}`);
    const at = (pct: number) =>
      ids.filter(
        (d) =>
          shouldUpdate({
            current: '1.0.0',
            offered: { version: '2.0.0', files: [], stagingPercentage: pct },
            policy: {},
            deviceId: d,
          }).update,
      );
    const ten = at(10);
    expect(ten.length).toBeGreaterThan(140);
    expect(ten.length).toBeLessThan(260);
    const fifty = new Set(at(50));
    expect(ten.every((d) => fifty.has(d))).toBe(true);
  });

  it('compares versions with pre-releases older than their release', () => {
    expect(compareVersions('0.3.0-beta.1', '0.2.0')).toBe(1);
    expect(compareVersions('0.3.0-beta.1', '0.3.0')).toBe(-1);
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1);
  });
});
