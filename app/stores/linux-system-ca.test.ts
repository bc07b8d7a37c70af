import { execFileSync } from 'node:child_process';
import { promises as fs, chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processRunner, RecordingRunner } from '../system/command-runner';
import { certFactsFromPem } from './cert-summary';
import { LinuxSystemCaStore } from './linux-system-ca';
import { TestPki } from '../../test-support/stores/test-pki';

const pki = new TestPki('Système Ü');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sysca-'));
afterAll(() => {
  chmodSync(tmp, 0o755);
  rmSync(tmp, { recursive: true, force: true });
});
let n = 0;

/** A fake Debian root with the folders update-ca-certificates expects. */
function debianRoot(): string {
  const root = path.join(tmp, `root${n++}`);
  for (const d of [
    'etc/ssl/certs',
    'usr/share/ca-certificates',
    'etc/ca-certificates/update.d',
    'usr/local/share/ca-certificates',
  ]) {
    mkdirSync(path.join(root, d), { recursive: true });
  }
  writeFileSync(path.join(root, 'etc/ca-certificates.conf'), '');
  return root;
}

const rootFp = certFactsFromPem(pki.root.pem).sha256Fingerprint;
const interFp = certFactsFromPem(pki.intermediate.pem).sha256Fingerprint;

describe('LinuxSystemCaStore (Debian, real update-ca-certificates under a root prefix)', () => {
  it('installs the RCCD CA certificates, the tool puts them in the system bundle, and removal takes them out', async () => {
    const prefix = debianRoot();
    const s = new LinuxSystemCaStore({ runner: processRunner, rootPrefix: prefix, flavour: 'debian' });
    const stored = await s.add({ certPem: pki.root.pem, chainPem: [pki.intermediate.pem], label: 'RCCD CA' });
    expect(stored).toMatchObject({
      storeId: 'linux-system-ca',
      sha256Fingerprint: rootFp,
      hasPrivateKey: false,
      label: 'Système Ü Root CA',
    });
    expect(path.dirname(stored.ref)).toBe(path.join(prefix, 'usr/local/share/ca-certificates/keytalk'));
    expect(path.basename(stored.ref)).toMatch(/^Syste_me_U_Root_CA-[0-9A-F]{16}\.crt$/);
    expect(await s.bundleFingerprints()).toEqual(new Set([rootFp, interFp]));
    expect((await s.list()).map((c) => c.sha256Fingerprint).sort()).toEqual([rootFp, interFp].sort());
    expect(await s.find({ sha256Fingerprint: interFp })).toHaveLength(1);
    await s.add({ certPem: pki.root.pem, chainPem: [], label: 'again' });
    expect(await s.list()).toHaveLength(2);
    await s.remove(interFp);
    expect(await s.bundleFingerprints()).toEqual(new Set([rootFp]));
    await s.remove(interFp);
    expect((await s.list()).map((c) => c.sha256Fingerprint)).toEqual([rootFp]);
  });

  it('refuses an end-entity certificate', async () => {
    const s = new LinuxSystemCaStore({ runner: processRunner, rootPrefix: debianRoot(), flavour: 'debian' });
    await expect(s.add(pki.bundle('user'))).rejects.toThrow(/is not a CA certificate.*CA certificates only/);
  });

  it('explains missing privileges when the folder cannot be written (real EACCES as an unprivileged user)', async () => {
    const prefix = debianRoot();
    chmodSync(path.join(prefix, 'usr/local/share/ca-certificates'), 0o555);
    const pem = path.join(tmp, `ca${n++}.pem`);
    writeFileSync(pem, pki.root.pem);
    chmodSync(tmp, 0o755);
    let message: string;
    const script =
      `const { LinuxSystemCaStore } = await import(${JSON.stringify(path.join(__dirname, 'linux-system-ca.ts'))});` +
      `const { processRunner } = await import(${JSON.stringify(path.join(__dirname, '..', 'system', 'command-runner.ts'))});` +
      `const fs = await import('node:fs');` +
      `const s = new LinuxSystemCaStore({ runner: processRunner, rootPrefix: ${JSON.stringify(prefix)}, flavour: 'debian' });` +
      `await s.add({ certPem: fs.readFileSync(${JSON.stringify(pem)}, 'utf8'), chainPem: [], label: 'x' }).then(() => console.log('ADDED'), (e) => console.log(e.message));`;
    if (process.getuid?.() === 0) {
      // root ignores file modes, so drop to "nobody" for this one run
      message = execFileSync(
        'setpriv',
        [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          'env',
          'HOME=/tmp',
          process.execPath,
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          script,
        ],
        {
          encoding: 'utf8',
          cwd: path.join(__dirname, '..', '..'),
        },
      );
    } else {
      const s = new LinuxSystemCaStore({ runner: processRunner, rootPrefix: prefix, flavour: 'debian' });
      message = await s.add({ certPem: pki.root.pem, chainPem: [], label: 'x' }).then(
        () => 'ADDED',
        (e: Error) => e.message,
      );
    }
    expect(message).toMatch(/permission denied — run the agent as administrator \(sudo\) for this step, or ask IT to deploy/);
  });

  it('reports a failing update-ca-certificates as a privilege problem and takes its files out again', async () => {
    const prefix = debianRoot();
    const runner = new RecordingRunner(() => ({
      code: 1,
      stdout: '',
      stderr: 'ln: failed to create symbolic link: Permission denied',
    }));
    const s = new LinuxSystemCaStore({ runner, rootPrefix: prefix, flavour: 'debian' });
    await expect(s.add({ certPem: pki.root.pem, chainPem: [], label: 'x' })).rejects.toThrow(
      /needs administrator rights.*ask IT to deploy/,
    );
    expect(await s.list()).toEqual([]);
    expect(runner.calls[0]).toEqual({
      command: 'update-ca-certificates',
      args: [
        '--certsconf',
        path.join(prefix, 'etc/ca-certificates.conf'),
        '--certsdir',
        path.join(prefix, 'usr/share/ca-certificates'),
        '--localcertsdir',
        path.join(prefix, 'usr/local/share/ca-certificates'),
        '--etccertsdir',
        path.join(prefix, 'etc/ssl/certs'),
        '--hooksdir',
        path.join(prefix, 'etc/ca-certificates/update.d'),
      ],
    });
  });
});

describe('LinuxSystemCaStore (Fedora: anchors + update-ca-trust, tool recorded)', () => {
  it('writes keytalk-*.pem anchors and runs update-ca-trust extract', async () => {
    const prefix = path.join(tmp, `fedora${n++}`);
    await fs.mkdir(path.join(prefix, 'etc/pki/ca-trust/source/anchors'), { recursive: true });
    const runner = new RecordingRunner(() => ({ code: 0, stdout: '', stderr: '' }));
    const s = new LinuxSystemCaStore({ runner, rootPrefix: prefix });
    expect((await s.describe()).available).toBe(true);
    const stored = await s.add({ certPem: pki.root.pem, chainPem: [], label: 'x' });
    expect(path.dirname(stored.ref)).toBe(path.join(prefix, 'etc/pki/ca-trust/source/anchors'));
    expect(path.basename(stored.ref)).toMatch(/^keytalk-Syste_me_U_Root_CA-[0-9A-F]{16}\.pem$/);
    expect(runner.calls).toEqual([{ command: 'update-ca-trust', args: ['extract'] }]);
    await s.remove(stored.sha256Fingerprint);
    expect(runner.calls).toHaveLength(2);
    expect(await s.list()).toEqual([]);
  });

  it('says what is missing when no CA tool exists', async () => {
    const s = new LinuxSystemCaStore({ runner: processRunner, rootPrefix: path.join(tmp, `empty${n++}`) });
    expect((await s.describe()).unavailableReason).toMatch(/install ca-certificates/);
  });
});
