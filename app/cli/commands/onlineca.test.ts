import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnlineCaSimulator, type OnlineCaSimulator } from '../../../simulators/onlineca/index';
import { GLOBAL_OPTIONS, type CliContext } from '../command';
import { parseArgs, type OptionSpecs } from '../args';
import { onlineCaCommand } from './onlineca';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'onlineca-cli-'));
let sim: OnlineCaSimulator;

beforeAll(async () => {
  sim = await startOnlineCaSimulator({ fixture: { realm: 'CLI realm', users: [{ username: 'carol', password: 'carol-pw' }] }, stateDir: path.join(tmp, 'sim') });
});
afterAll(async () => {
  await sim.stop();
  rmSync(tmp, { recursive: true, force: true });
});

async function run(
  home: string,
  argv: string[],
  env: NodeJS.ProcessEnv = {},
  tty?: { input: string },
): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  if (tty) stdin.write(tty.input);
  else stdin.end();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const args = parseArgs(argv, { ...onlineCaCommand.options, ...GLOBAL_OPTIONS } as OptionSpecs);
  const json = args.options.json === true;
  const ctx: CliContext = {
    home,
    json,
    stdout,
    stderr,
    stdin,
    interactive: tty !== undefined,
    env,
    version: 'test',
    say: (t) => {
      if (!json) stdout.write(`${t}\n`);
    },
    emitJson: (v) => stdout.write(`${JSON.stringify(v)}\n`),
  };
  const code = await onlineCaCommand.run(ctx, args);
  return { code, out, err };
}

describe('keytalk-agent onlineca', () => {
  it('add --pin, trust without a prompt, enroll non-interactively, list', async () => {
    const home = path.join(tmp, 'h1');
    expect((await run(home, ['add', 'demo', sim.url, '--pin', sim.caFingerprints.root])).code).toBe(0);
    const trust = await run(home, ['trust', 'demo']);
    expect(trust.code).toBe(0);
    expect(trust.out).toMatch(/stored 2 trust root certificate\(s\) for demo \(lines format\)/);
    const enroll = await run(home, ['enroll', 'demo', '--user', 'carol', '--store', 'file', '--json'], { KEYTALK_PASSWORD: 'carol-pw' });
    expect(enroll.err).toBe('');
    expect(enroll.code).toBe(0);
    expect(JSON.parse(enroll.out)).toMatchObject({ status: 'issued', provider: 'demo', stores: ['file'] });
    const list = JSON.parse((await run(home, ['list', '--json'])).out) as Array<{ name: string; trust: { method: string } }>;
    expect(list.map((p) => [p.name, p.trust.method])).toEqual([['demo', 'pin']]);
    expect((await run(home, ['remove', 'demo'])).code).toBe(0);
    expect((await run(home, ['list'])).out).toMatch(/no Online CA providers yet/);
  });

  it('first contact without a pin: scripted runs must accept the shown fingerprints explicitly', async () => {
    const home = path.join(tmp, 'h2');
    await run(home, ['add', 'demo', sim.url]);
    const refused = await run(home, ['trust', 'demo']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(sim.caFingerprints.root.slice(0, 2));
    expect(refused.err).toMatch(/--accept-fingerprints/);
    expect((await run(home, ['trust', 'demo', '--accept-fingerprints'])).code).toBe(0);
  });

  it('on a terminal, the trust question needs a typed "yes"', async () => {
    const home = path.join(tmp, 'h5');
    await run(home, ['add', 'demo', sim.url]);
    const no = await run(home, ['trust', 'demo'], {}, { input: 'y\n' });
    expect(no.code).toBe(9);
    expect(no.err).toMatch(/Trust this CA\? Type "yes"/);
    expect(no.err).toMatch(/not confirmed; nothing was stored/);
    const yes = await run(home, ['trust', 'demo'], {}, { input: 'yes\n' });
    expect(yes.code).toBe(0);
  });

  it('wrong password exits with the auth-failed code and says why', async () => {
    const home = path.join(tmp, 'h3');
    await run(home, ['add', 'demo', sim.url, '--pin', sim.caFingerprints.issuing]);
    const r = await run(home, ['enroll', 'demo', '--user', 'carol', '--store', 'file'], { KEYTALK_PASSWORD: 'wrong' });
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/wrong user name or password for realm "CLI realm"/);
  });

  it('rejects bad usage with a clear message', async () => {
    const home = path.join(tmp, 'h4');
    await expect(run(home, ['add', 'x'])).rejects.toThrow(/needs a name and the service URL/);
    await expect(run(home, ['add', 'x', 'http://127.0.0.1/'])).rejects.toThrow(/https/);
    await expect(run(home, ['frob'])).rejects.toThrow(/unknown onlineca sub-command/);
  });
});
