import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { createTestPki, issueCertificate } from '../../test-support/crypto/test-pki';
import { makeRccdV2 } from '../../test-support/rccd/make-rccd';
import { EXIT } from '../cli/exit-codes';
import { createLogger, fileSink } from '../log/logger';
import { writeFileAtomic, writeJsonAtomic } from '../system/atomic-write';
import { ensurePrivateHome } from './home';

/**
 * Security review (issue 22): the agent home, state/ and logs/ were created 0755 with 0644 files, so user IDs,
 * certificate subjects, server messages and logs were readable by every user of the machine.
 */
const mode = (p: string) => statSync(p).mode & 0o777;
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kt-home-'));
  chmodSync(tmp, 0o755); // like ~/.config: a normal, non-private parent
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? [p, ...walk(p)] : [p];
  });
}

describe.skipIf(process.platform === 'win32')('a private agent home', () => {
  it('creates home, state/ and logs/ 0700 and closes ones an older agent left 0755', async () => {
    const fresh = path.join(tmp, 'fresh');
    await ensurePrivateHome(fresh);
    for (const d of ['', 'state', 'logs', 'providers', 'certs']) expect(mode(path.join(fresh, d)), d).toBe(0o700);
    const old = path.join(tmp, 'old');
    mkdirSync(path.join(old, 'state'), { recursive: true, mode: 0o755 });
    mkdirSync(path.join(old, 'providers'), { mode: 0o755 });
    chmodSync(old, 0o755);
    await ensurePrivateHome(old);
    for (const d of ['', 'state', 'logs', 'providers', 'certs']) expect(mode(path.join(old, d)), d).toBe(0o700);
  });

  it('closes the files and folders an older agent left 0644 / 0755 in the home, and leaves link targets alone', async () => {
    const old = path.join(tmp, 'older-files');
    const files = ['state/enrollments.json', 'state/messages.json', 'logs/daemon.log', 'providers/Demo/provider.json'];
    const fp = 'A'.repeat(64);
    files.push(`certs/${fp}/cert.pem`, `certs/${fp}/meta.json`, 'certs/index.json');
    for (const f of files) {
      mkdirSync(path.dirname(path.join(old, f)), { recursive: true, mode: 0o755 });
      writeFileSync(path.join(old, f), '{}', { mode: 0o644 });
    }
    for (const d of ['', 'state', 'logs', 'providers', 'providers/Demo', 'certs', `certs/${fp}`])
      chmodSync(path.join(old, d), 0o755);
    chmodSync(path.join(old, 'certs', fp, 'meta.json'), 0o640);
    // A link to something that is not the agent's: its target keeps its mode.
    const outside = path.join(tmp, 'outside.txt');
    writeFileSync(outside, 'x', { mode: 0o644 });
    symlinkSync(outside, path.join(old, 'state', 'link'));
    await ensurePrivateHome(old);
    for (const f of files) expect(mode(path.join(old, f)), f).toBe(0o600);
    for (const d of ['', 'state', 'logs', 'providers', 'providers/Demo', 'certs', `certs/${fp}`])
      expect(mode(path.join(old, d)), d).toBe(0o700);
    expect(mode(outside)).toBe(0o644);
  });

  it('atomic writes are 0600 (new folders 0700) below a private folder, 0644 elsewhere', async () => {
    const home = path.join(tmp, 'writes');
    await ensurePrivateHome(home);
    await writeJsonAtomic(path.join(home, 'state', 'enrollments.json'), []);
    await writeFileAtomic(path.join(home, 'providers', 'Acme', 'provider.json'), '{}');
    expect(mode(path.join(home, 'state', 'enrollments.json'))).toBe(0o600);
    expect(mode(path.join(home, 'providers'))).toBe(0o700);
    expect(mode(path.join(home, 'providers', 'Acme'))).toBe(0o700);
    expect(mode(path.join(home, 'providers', 'Acme', 'provider.json'))).toBe(0o600);
    // Outside the home (a mail profile, a system CA folder) the usual mode is kept.
    const shared = path.join(tmp, 'shared');
    mkdirSync(shared, { mode: 0o755 });
    chmodSync(shared, 0o755);
    await writeFileAtomic(path.join(shared, 'ca.crt'), 'x');
    expect(mode(path.join(shared, 'ca.crt'))).toBe(0o644);
    // An explicit mode still wins, and a rewrite does not widen a file.
    await writeFileAtomic(path.join(shared, 'key.pem'), 'k', { mode: 0o600 });
    expect(mode(path.join(shared, 'key.pem'))).toBe(0o600);
  });

  it('the log folder and file are private', () => {
    const logs = path.join(tmp, 'logs-home', 'logs');
    createLogger(fileSink(logs), 'info').info('hello');
    expect(mode(logs)).toBe(0o700);
    expect(mode(path.join(logs, 'agent.log'))).toBe(0o600);
  });

  it('after CLI commands on a new home nothing in it is open to group or others', async () => {
    const pki = await createTestPki('Home');
    const ca = (cn: string) => issueCertificate(pki.primary, { cn, isCa: true, keyPem: pki.server.keyPem });
    const rccd = path.join(tmp, 'p.rccd');
    writeFileSync(
      rccd,
      await makeRccdV2({ cas: { root: pki.root, primary: pki.primary, signing: await ca('U'), server: await ca('S') } }),
    );
    const home = path.join(tmp, 'cli-home');
    expect((await runCliCaptured(['rccd', 'import', rccd], { home })).code).toBe(EXIT.ok);
    expect((await runCliCaptured(['certs'], { home })).code).toBe(EXIT.ok);
    const open = [home, ...walk(home)]
      .filter((p) => (mode(p) & 0o077) !== 0)
      .map((p) => `${path.relative(home, p)} ${mode(p).toString(8)}`);
    expect(open).toEqual([]);
  });
});
