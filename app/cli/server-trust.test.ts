import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { EXIT } from './exit-codes';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';

/**
 * Security review (issue 22), end to end: the simulator presents a certificate for its own host that is not the
 * appliance's — issued by the user CA (UCA, which the RCCD carries and the PCA also signs), or by the right server
 * CA (SCA) but without serverAuth. Spec 2.1 ("SCA.der ... the trust under which the KeyTalk virtual appliance
 * certificates are generated"): only the SCA vouches for the server. `enroll` must stop before any credential is
 * sent, exit 6 and say why — not exit 5 "could not be reached".
 */
let kt: TempSimulator;
let home: string;

beforeAll(async () => {
  kt = await startTempSimulator('kt-trust-', {
    providers: [
      {
        name: 'Acme',
        services: [{ name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} }],
        users: [{ id: 'alice', password: 's3cret' }],
      },
    ],
  });
  home = path.join(kt.dir, 'home');
  expect((await runCliCaptured(['rccd', 'import', kt.sim.rccds.Acme!], { home })).code).toBe(EXIT.ok);
});
afterAll(async () => {
  await fetch(`${kt.sim.control}/tls`, { method: 'POST', body: JSON.stringify({ mode: 'normal' }) }).catch(() => undefined);
  await kt?.stop();
});

async function enrollWithTls(mode: string) {
  const set = await fetch(`${kt.sim.control}/tls`, { method: 'POST', body: JSON.stringify({ mode }) });
  expect(set.status).toBe(200);
  const before = (await (await fetch(`${kt.sim.control}/log`)).json()) as unknown[];
  const run = await runCliCaptured(['enroll', '--provider', 'Acme', '--service', 'PASSWD', '--user', 'alice', '--json'], {
    home,
    env: { KEYTALK_PASSWORD: 's3cret' },
  });
  const after = (await (await fetch(`${kt.sim.control}/log`)).json()) as unknown[];
  return { run, requests: after.length - before.length };
}

describe('server trust through the SCA only (CLI against the simulator)', () => {
  it('a UCA-issued server certificate for the right host: exit 6, explained, nothing sent', async () => {
    const { run, requests } = await enrollWithTls('user-ca');
    expect(run.code, run.stderr).toBe(EXIT.tls);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'failed', code: 'tls' });
    const { message } = JSON.parse(run.stdout) as { message: string };
    expect(message).toContain("not issued by this provider's server communication CA (SCA)");
    expect(message).toContain('KeyTalk Simulator Signing CA');
    expect(requests).toBe(0);
  });

  it('an SCA-issued certificate without serverAuth: exit 6, explained, nothing sent', async () => {
    const { run, requests } = await enrollWithTls('no-eku');
    expect(run.code, run.stderr).toBe(EXIT.tls);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'tls',
      message: expect.stringContaining('not a TLS server certificate (no serverAuth extended key usage)'),
    });
    expect(requests).toBe(0);
  });

  it('the appliance certificate (SCA, serverAuth) still works', async () => {
    const { run } = await enrollWithTls('normal');
    expect(run.code, run.stderr).toBe(EXIT.ok);
  });
});
