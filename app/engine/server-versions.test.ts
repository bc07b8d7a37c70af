/**
 * The assumptions found in neither spec (app/rcdp/README.md) are tolerated both ways: the agent tries its guess,
 * then falls back on the documented refusal. keytalk-api-rcdp-2.8.3 2.7.2 ("format" P12 | PEM | P12v2, POST
 * /rcdp/<version>/cert) and keytalk-api-2.3.2 2.8.2 (GET /rdp/2.3.0/cert).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';
import { runEnrollment } from './enroll';

let h: SimHarness;
beforeAll(async () => {
  h = await startSimHarness({
    providers: [
      {
        name: 'Demo',
        services: [{ name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} }],
        users: [{ id: 'alice', password: 'secret' }],
      },
    ],
  });
});
afterAll(async () => h?.stop());

type Entry = { action?: string; method: string; status: number; fields: Record<string, string> };

async function enrollWith(fault: { status: number }, versions?: string[]) {
  await h.control('/log', undefined, 'DELETE');
  await h.control('/faults', { route: '/\\/cert$/', kind: 'status', status: fault.status, times: 1 });
  const t = scriptedTestFrontEnd([() => creds({ USERID: 'alice', PASSWD: 'secret' })]);
  const deps = h.deps(versions ? { rcdp: { ...h.deps().rcdp, versions } } : {});
  const outcome = await runEnrollment({ provider: 'Demo', service: 'PASSWD', format: 'P12v2' }, t.fe, deps);
  const log = (await h.control('/log')) as Entry[];
  return { outcome, certs: log.filter((e) => e.action === 'cert') };
}

describe('server-version assumptions, tolerated both ways', () => {
  it('P12v2 refused as an invalid request (HTTP 400): asked once more as P12, and issued', async () => {
    const { outcome, certs } = await enrollWith({ status: 400 });
    expect(outcome).toMatchObject({ status: 'issued' });
    expect(certs.map((e) => [e.status, e.fields.format])).toEqual([
      [400, 'P12v2'],
      [200, 'P12'],
    ]);
  });

  it('cert method refused (HTTP 405): the other method once, and issued', async () => {
    const { outcome, certs } = await enrollWith({ status: 405 }, ['2.3.0']);
    expect(outcome).toMatchObject({ status: 'issued' });
    expect(certs.map((e) => [e.status, e.method])).toEqual([
      [405, 'GET'],
      [200, 'POST'],
    ]);
  });
});
