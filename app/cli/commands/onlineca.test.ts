import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnlineCaSimulator, type OnlineCaSimulator } from '../../../simulators/onlineca/index';
import { runCliCaptured, type CapturedRun } from '../../../test-support/cli/run-cli-captured';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'onlineca-cli-'));
let sim: OnlineCaSimulator;

beforeAll(async () => {
  sim = await startOnlineCaSimulator({
    fixture: { realm: 'CLI realm', users: [{ username: 'carol', password: 'carol-pw' }] },
    stateDir: path.join(tmp, 'sim'),
  });
});
afterAll(async () => {
  await sim.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function run(home: string, argv: string[], env: Record<string, string> = {}, tty?: string[]): Promise<CapturedRun> {
  return runCliCaptured(['onlineca', ...argv], { home, env, tty });
}

describe('keytalk-agent onlineca', () => {
  it('add --pin, trust without a prompt, enroll non-interactively, list', async () => {
    const home = path.join(tmp, 'h1');
    expect((await run(home, ['add', 'demo', sim.url, '--pin', sim.caFingerprints.root])).code).toBe(0);
    const trust = await run(home, ['trust', 'demo']);
    expect(trust.code).toBe(0);
    expect(trust.stdout).toMatch(/stored 2 trust root certificate\(s\) for demo \(lines format\)/);
    const enroll = await run(home, ['enroll', 'demo', '--user', 'carol', '--store', 'file', '--json'], {
      KEYTALK_PASSWORD: 'carol-pw',
    });
    expect(enroll.stderr).toBe('');
    expect(enroll.code).toBe(0);
    expect(JSON.parse(enroll.stdout)).toMatchObject({ status: 'issued', provider: 'demo', stores: ['file'] });
    const list = (
      JSON.parse((await run(home, ['list', '--json'])).stdout) as { providers: { name: string; trust: { method: string } }[] }
    ).providers;
    expect(list.map((p) => [p.name, p.trust.method])).toEqual([['demo', 'pin']]);
    expect((await run(home, ['remove', 'demo'])).code).toBe(0);
    expect((await run(home, ['list'])).stdout).toMatch(/no Online CA providers yet/);
  });

  it('first contact without a pin: scripted runs must accept the shown fingerprints explicitly', async () => {
    const home = path.join(tmp, 'h2');
    await run(home, ['add', 'demo', sim.url]);
    const refused = await run(home, ['trust', 'demo']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(sim.caFingerprints.root.slice(0, 2));
    expect(refused.stderr).toMatch(/--accept-fingerprints/);
    expect((await run(home, ['trust', 'demo', '--accept-fingerprints'])).code).toBe(0);
  });

  it('on a terminal, the trust question needs a typed "yes"', async () => {
    const home = path.join(tmp, 'h5');
    await run(home, ['add', 'demo', sim.url]);
    const no = await run(home, ['trust', 'demo'], {}, ['y']);
    expect(no.code).toBe(9);
    expect(no.stderr).toMatch(/Trust this CA\? Type "yes"/);
    expect(no.stderr).toMatch(/not confirmed; nothing was stored/);
    const yes = await run(home, ['trust', 'demo'], {}, ['yes']);
    expect(yes.code).toBe(0);
  });

  it('on a terminal, enroll asks for the password without echoing it, then whether to remember it', async () => {
    const home = path.join(tmp, 'h6');
    await run(home, ['add', 'demo', sim.url, '--pin', sim.caFingerprints.root]);
    const r = await run(home, ['enroll', 'demo', '--user', 'carol', '--store', 'file'], {}, ['carol-pw', 'n']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Remember these credentials for automatic renewal\? \[y\/N\] n/);
    expect(r.stderr).not.toContain('carol-pw');
  });

  it('wrong password exits with the auth-failed code and says why', async () => {
    const home = path.join(tmp, 'h3');
    await run(home, ['add', 'demo', sim.url, '--pin', sim.caFingerprints.issuing]);
    const r = await run(home, ['enroll', 'demo', '--user', 'carol', '--store', 'file'], { KEYTALK_PASSWORD: 'wrong' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/wrong user name or password for realm "CLI realm"/);
  });

  it('rejects bad usage with a clear message', async () => {
    const home = path.join(tmp, 'h4');
    for (const [argv, why] of [
      [['add', 'x'], /needs a name and the service URL/],
      [['add', 'x', 'http://127.0.0.1/'], /https/],
      [['frob'], /unknown onlineca sub-command/],
    ] as const) {
      const r = await run(home, [...argv]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(why);
    }
  });
});
