import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeytalkSimulator, type KeytalkSimulator } from '../../../simulators/keytalk/index';
import { enrollOwnCertificate } from '../../../test-support/smime/enroll-own-cert';
import { runCliCaptured, type CapturedRun } from '../../../test-support/cli/run-cli-captured';

let sim: KeytalkSimulator;
let tmp: string;
let home: string;

function run(argv: string[]): Promise<CapturedRun> {
  return runCliCaptured(['smime', ...argv], { home });
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-smime-cli-'));
  home = path.join(tmp, 'home');
  sim = await startKeytalkSimulator({
    fixture: path.resolve('simulators/keytalk/fixtures/demo.yaml'),
    stateDir: path.join(tmp, 'sim'),
    port: 0,
    controlPort: 0,
  });
}, 60_000);
afterAll(async () => {
  await sim.stop();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('keytalk-agent smime invite', () => {
  it('without an S/MIME certificate: says to enroll first', async () => {
    const r = await run(['invite', '--email', 'guest@partner.test']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/enroll for your S\/MIME service first/);
  });

  it('with the enrolled S/MIME certificate from the file store: invites over mTLS', async () => {
    await enrollOwnCertificate(sim, home, { provider: 'Demo', service: 'SMIME', user: 'DemoUser', password: 'secret' });

    const bad = await run(['invite', '--email', 'a@partner.test', '--mobile', '+31600000001', '--mobile', '+31600000002']);
    expect(bad.code).toBe(2);
    const r = await run([
      'invite',
      '--email',
      'guest@partner.test',
      '--email',
      'other@partner.test',
      '--mobile',
      '+31612345678',
      '--ssapi-url',
      sim.ssapiUrl,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      synchronous: true,
      succeeded: [{ email: 'guest@partner.test' }, { email: 'other@partner.test' }],
    });
    const a = await run(['invite', '--email', 'x@partner.test', '--async', '--ssapi-url', sim.ssapiUrl]);
    expect(a.stdout).toMatch(/^x@partner\.test: order [0-9a-f]{12} placed$/m);
  });
});
