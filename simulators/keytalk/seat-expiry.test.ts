import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeytalkSimulator, type KeytalkSimulator } from './index';
import { freshStateDir } from './test-state';
import { RcdpClient, request } from './test-client';

let sim: KeytalkSimulator;
let dir: string;

beforeAll(async () => {
  dir = await freshStateDir('kt-seat-');
  sim = await startKeytalkSimulator({
    stateDir: dir,
    fixture: {
      server: { oobTtlSeconds: 1, sessionIdleSeconds: 2 },
      providers: [
        {
          name: 'Seats',
          services: [
            {
              name: 'SEATHW',
              credentials: ['USERID', 'HWSIG', 'PASSWD'],
              hwsigFormula: '601,602',
              seat: true,
              supplyComputerName: true,
            },
          ],
          users: [{ id: 'jos@seats.test', password: 'pw', email: 'jos@seats.test' }],
        },
      ],
    },
  });
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function enroll(hwsig: string): Promise<void> {
  const c = new RcdpClient(sim.url, sim.caFile);
  await c.open();
  expect(
    (await c.auth('SEATHW', { USERID: 'jos@seats.test', PASSWD: 'pw', HWSIG: hwsig, 'computer-name': 'pc1' }))['auth-status'],
  ).toBe('OK');
  expect((await c.post('cert', { format: 'P12v2' })).json().status).toBe('cert');
}

describe('seat with HWSIG (2.8.1) and expiry of sessions and download links', () => {
  it('2.8.1: hwsig_formula first, then the challenge for the certificate of that HWSIG; unknown HWSIG → 1009', async () => {
    await enroll('CS-aa');
    const c = new RcdpClient(sim.url, sim.caFile);
    await c.open();
    expect(
      (await c.get('auth-requirements', { service: 'SEATHW', USERID: 'jos@seats.test', 'computer-name': 'pc1' })).json(),
    ).toEqual({ status: 'auth-requirements', hwsig_formula: '601,602' });
    expect((await c.get('auth-requirements', { HWSIG: 'CS-aa' })).json()['encrypted-challenge']).toMatch(
      /^[A-Za-z0-9+/=]{200,}$/,
    );
    const d = new RcdpClient(sim.url, sim.caFile);
    await d.open();
    await d.get('auth-requirements', { service: 'SEATHW', USERID: 'jos@seats.test', 'computer-name': 'pc1' });
    expect((await d.get('auth-requirements', { HWSIG: 'CS-bb' })).json()).toMatchObject({ status: 'error', code: 1009 });
  });

  it('2.8.0: no HWSIG step, the challenge comes at once; before 2.8.0 USERID+computer-name is an ordinary template request', async () => {
    const c = new RcdpClient(sim.url, sim.caFile, '2.8.0');
    await c.open();
    expect(
      (await c.get('auth-requirements', { service: 'SEATHW', USERID: 'jos@seats.test', 'computer-name': 'pc1' })).json()[
        'encrypted-challenge'
      ],
    ).toBeTruthy();
    const old = new RcdpClient(sim.url, sim.caFile, '2.7.9');
    await old.open();
    expect(
      (await old.get('auth-requirements', { service: 'SEATHW', USERID: 'jos@seats.test', 'computer-name': 'pc1' })).json()[
        'credential-types'
      ],
    ).toEqual(['USERID', 'HWSIG', 'PASSWD']);
  });

  it('an out-of-band URL expires after oobTtlSeconds; an idle session after sessionIdleSeconds', async () => {
    const c = new RcdpClient(sim.url, sim.caFile);
    await c.open();
    await c.auth('SEATHW', { USERID: 'jos@seats.test', PASSWD: 'pw', HWSIG: 'CS-aa', 'computer-name': 'pc1' });
    const templ = (await c.post('cert', { format: 'PEM', 'out-of-band': 'true' })).json<{ 'cert-url-templ': string }>()[
      'cert-url-templ'
    ];
    await new Promise((r) => setTimeout(r, 2300));
    const late = await request(templ.replace('$(KEYTALK_SVR_HOST)', new URL(sim.url).host), { ca: c.ca });
    expect(late.status).toBe(404);
    expect(late.text).toMatch(/expired/);
    expect((await c.get('last-messages')).status).toBe(401);
  });
});
