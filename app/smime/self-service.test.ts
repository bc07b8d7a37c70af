import { promises as fs } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeytalkSimulator, type KeytalkSimulator } from '../../simulators/keytalk/index';
import { decodeOne } from '../engine/certificate';
import { PublicApiClient } from '../public-api/client';
import { RcdpClient } from '../rcdp/client';
import { textOf } from '../model/core-text';
import {
  explainUnavailable,
  explainUnavailableText,
  inviteSmimeRecipients,
  SelfServiceError,
  validateRecipients,
} from './self-service';

let sim: KeytalkSimulator;
let tmp: string;
let agent: https.Agent;
let ca: string;

async function enroll(user: string, password: string) {
  const client = new RcdpClient({ server: new URL(sim.url).host, agent, retry: { retries: 0, baseMs: 1, maxMs: 1 } });
  await client.connect();
  await client.authRequirements({ service: 'SMIME' });
  const a = await client.authenticate({ service: 'SMIME', USERID: user, PASSWD: password, 'caller-hw-description': 'ss test' });
  expect(a.status).toBe('auth-result');
  const r = await client.cert({ service: 'SMIME', format: 'P12v2' });
  if (r.status !== 'cert') throw new Error(`no cert: ${JSON.stringify(r)}`);
  const b = decodeOne(r.cert!, 'P12v2', client.keyPassword);
  await client.eoc();
  return { certPem: b.certPem, keyPem: b.keyPem!, chainPem: b.chainPem };
}

const outbox = async (to: string) =>
  (await (await fetch(`${sim.control}/outbox?to=${encodeURIComponent(to)}`)).json()) as {
    kind: string;
    data: Record<string, string>;
  }[];

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-ssapi-'));
  sim = await startKeytalkSimulator({
    fixture: path.resolve('simulators/keytalk/fixtures/demo.yaml'),
    stateDir: path.join(tmp, 'sim'),
    port: 0,
    controlPort: 0,
  });
  ca = await fs.readFile(sim.caFile, 'utf8');
  agent = new https.Agent({ ca, keepAlive: true });
}, 60_000);
afterAll(async () => {
  agent.destroy();
  await sim.stop();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('Self-Service API S/MIME invite (mTLS, simulator)', () => {
  it('checks availability, then enrolls synchronously: the recipient gets a download link; address books come back', async () => {
    const me = await enroll('DemoUser', 'secret');
    const publicApi = new PublicApiClient({ baseUrl: sim.url, agent });
    const r = await inviteSmimeRecipients({
      publicApi,
      ssapiBaseUrl: sim.ssapiUrl,
      client: me,
      trustedCas: [ca],
      recipients: [{ email: 'guest@partner.test', mobile: '+31612345678' }],
    });
    expect(r.succeeded).toEqual([{ email: 'guest@partner.test' }]);
    expect(r.addressBooks).toEqual([
      { url: 'ldaps://ldap.keytalk.test', searchBase: 'ou=people,dc=keytalk,dc=test', verificationCa: undefined },
    ]);
    const mails = await outbox('guest@partner.test');
    expect(mails.at(-1)!.kind).toBe('smime-enrollment');
    expect(mails.at(-1)!.data.link).toMatch(/^https:\/\/.*\/cert\/\?/);
    expect(mails.at(-1)!.data.password).toBeUndefined(); // it went by SMS
    expect((await outbox('+31612345678')).at(-1)!.data.password).toBeTruthy();
    const log = (await fs.readFile(sim.requestLog, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { api: string; path: string });
    const ours = log.filter((l) => l.path.includes('smime-cert-enrollment'));
    expect(ours.map((l) => l.api)).toEqual(['public', 'ssapi']); // availability first, then the enrollment

    const orders = await inviteSmimeRecipients({
      publicApi,
      ssapiBaseUrl: sim.ssapiUrl,
      client: me,
      trustedCas: [ca],
      recipients: [{ email: 'a@partner.test' }, { email: 'b@partner.test' }],
      synchronous: false,
    });
    expect(orders.succeeded.map((s) => s.email)).toEqual(['a@partner.test', 'b@partner.test']);
    expect(orders.succeeded.every((s) => /^[0-9a-f]{12}$/.test(s.orderId!))).toBe(true);
  });

  it('bad input is refused before any request; a revoked certificate is explained', async () => {
    const me = await enroll('DemoUser', 'secret');
    const publicApi = new PublicApiClient({ baseUrl: sim.url, agent });
    const base = { publicApi, ssapiBaseUrl: sim.ssapiUrl, client: me, trustedCas: [ca] };
    await expect(inviteSmimeRecipients({ ...base, recipients: [{ email: 'not-an-address' }] })).rejects.toThrow(
      /not an e-mail address/,
    );
    await expect(inviteSmimeRecipients({ ...base, recipients: [{ email: 'x@y.test', mobile: 'call me' }] })).rejects.toThrow(
      /international format/,
    );
    await fetch(`${sim.control}/users/DemoUser/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const err = await inviteSmimeRecipients({ ...base, recipients: [{ email: 'x@y.test' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SelfServiceError);
    expect((err as Error).message).toMatch(/not available|refused|not accepted/);
    // The window says it from its code, not the CLI's English "S/MIME enrollment refused (HTTP 401) — …" (issue 19).
    expect(textOf(err)).toMatchObject({ code: 'smime.not-accepted', message: (err as Error).message });
  });

  it('no recipients: the CLI keeps its --email advice, the window gets the coded sentence without the flag', () => {
    let err: unknown;
    try {
      validateRecipients([]);
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toMatch(/--email/);
    expect(textOf(err)).toEqual({ code: 'smime.no-recipients', message: (err as Error).message });
  });

  it('explains the server reasons', () => {
    expect(explainUnavailable('user is not a self-service user', true)).toMatch(/ask your KeyTalk administrator to enable it/);
    expect(explainUnavailable('SMTP not configured', true)).toMatch(/cannot send e-mail/);
    expect(explainUnavailable(undefined, false)).toBe('placing S/MIME certificate orders is not available for you');
    // Coded for the window: what the user can do, without the CLI's --async (the server's reason is shown beside it).
    expect(explainUnavailableText('only for PersonalSign orders', false).code).toBe('smime.orders-personalsign');
    expect(explainUnavailableText('licence exceeded', true).code).toBe('smime.licence');
    expect(explainUnavailableText('something else', true).code).toBe('smime.unavailable');
  });
});
