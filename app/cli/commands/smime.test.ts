import { promises as fs } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeytalkSimulator, type KeytalkSimulator } from '../../../simulators/keytalk/index';
import { homeLayout } from '../../config/home';
import { describeCertificate } from '../../crypto/cert-info';
import { decodeOne } from '../../engine/certificate';
import { enrollments } from '../../engine/state';
import { RcdpClient } from '../../rcdp/client';
import { importRccd } from '../../rccd/provider-store';
import { FileStore } from '../../stores/file-store';
import { runCliCaptured, type CapturedRun } from '../testing';

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
    await importRccd(home, await fs.readFile(sim.rccds.Demo!));
    const agent = new https.Agent({ ca: await fs.readFile(sim.caFile, 'utf8') });
    const client = new RcdpClient({ server: new URL(sim.url).host, agent, retry: { retries: 0, baseMs: 1, maxMs: 1 } });
    await client.connect();
    await client.authRequirements({ service: 'SMIME' });
    await client.authenticate({ service: 'SMIME', USERID: 'DemoUser', PASSWD: 'secret', 'caller-hw-description': 'cli test' });
    const reply = await client.cert({ service: 'SMIME', format: 'P12v2' });
    if (reply.status !== 'cert') throw new Error('no cert');
    const b = decodeOne(reply.cert!, 'P12v2', client.keyPassword);
    await client.eoc();
    agent.destroy();
    const stored = await new FileStore(homeLayout(home).certs).add({
      ...b,
      label: 'Demo SMIME',
      origin: { provider: 'Demo', service: 'SMIME' },
    });
    const info = describeCertificate(b.certPem);
    await enrollments.put(home, {
      sha256Fingerprint: stored.sha256Fingerprint,
      provider: 'Demo',
      service: 'SMIME',
      format: 'P12v2',
      csr: false,
      subject: info.subject,
      notBefore: info.notBefore,
      notAfter: info.notAfter,
      issuedAt: new Date().toISOString(),
      stores: ['file'],
      credentialsRemembered: false,
      extras: {},
      rcdpVersion: client.version,
    });

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
