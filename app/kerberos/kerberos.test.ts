/**
 * Kerberos sign-on (RCDP 2.6.1 auth-requirements "use-kerberos-authentication", 2.6.3 authentication
 * "kerberos-ticket", auth-status "KERBEROS-AUTH-NOK") against a real MIT KDC and the simulator, which validates
 * every ticket with the KDC and its keytab.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kdcUnavailable, reportSkip, startKdc, type TestKdc } from '../../test-support/hardware/index';
import { runEnrollment } from '../engine/enroll';
import { enrollments } from '../engine/state';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';
import { RecordingRunner } from '../system/command-runner';
import { cacheFile, findTgt, locateCache, parseCcache, principalName, readKerberosTicket } from './index';

describe('credential cache location and format (no KDC needed)', () => {
  it('KRB5CCNAME wins; else the cache klist names; else /tmp/krb5cc_<uid>', async () => {
    const klist = (stdout: string, stderr = '', code = 0) => new RecordingRunner(() => ({ code, stdout, stderr }));
    expect(await locateCache({ env: { KRB5CCNAME: 'FILE:/x/cc' }, platform: 'linux', runner: klist('') })).toBe('FILE:/x/cc');
    const listed = klist('Ticket cache: FILE:/tmp/krb5cc_1000\nDefault principal: a@B\n');
    expect(await locateCache({ env: {}, platform: 'linux', runner: listed })).toBe('FILE:/tmp/krb5cc_1000');
    expect(listed.calls[0]).toMatchObject({ command: 'klist', args: [] });
    const none = klist('', 'klist: No credentials cache found (filename: /tmp/krb5cc_1001)\n', 1);
    expect(await locateCache({ env: {}, platform: 'linux', runner: none })).toBe('/tmp/krb5cc_1001');
    const noKlist: RecordingRunner = new RecordingRunner(() => Promise.reject(new Error('cannot run klist')));
    expect(await locateCache({ env: {}, platform: 'linux', runner: noKlist, uid: 1234 })).toBe('FILE:/tmp/krb5cc_1234');
  });

  it('FILE and DIR:: caches are read; KEYRING/KCM get a reason naming the fix', () => {
    expect(cacheFile('FILE:/tmp/krb5cc_1')).toEqual({ file: '/tmp/krb5cc_1' });
    expect(cacheFile('/tmp/krb5cc_1')).toEqual({ file: '/tmp/krb5cc_1' });
    expect(cacheFile('DIR::/run/user/1/krb5cc/tkt')).toEqual({ file: '/run/user/1/krb5cc/tkt' });
    expect(cacheFile('KEYRING:persistent:1000')).toMatchObject({ reason: expect.stringMatching(/KEYRING.*KRB5CCNAME=FILE:/) });
    expect(cacheFile('KCM:1000')).toMatchObject({ reason: expect.stringContaining('KCM') });
  });

  it('refuses what is not a cache, and a truncated one, with a reason', async () => {
    expect(() => parseCcache(Buffer.from('hello'))).toThrow(/not a Kerberos credential cache/);
    expect(() => parseCcache(Buffer.from([5, 1, 0, 0]))).toThrow(/0x0501 is not supported/);
    expect(() => parseCcache(Buffer.from([5, 4, 0, 0, 0, 0, 0, 1]))).toThrow(/truncated/);
    const read = async () => Buffer.from('junk');
    const r = await readKerberosTicket({ env: { KRB5CCNAME: 'FILE:/c' }, platform: 'linux', read });
    expect(r).toEqual({ reason: expect.stringMatching(/\/c is unreadable: not a Kerberos credential cache/) });
    const missing = await readKerberosTicket({ env: { KRB5CCNAME: '/nonexistent/cc' }, platform: 'linux' });
    expect(missing).toEqual({ reason: 'no Kerberos credential cache at /nonexistent/cc (run kinit)' });
  });

  it('Windows and macOS: no ticket source yet, said plainly', async () => {
    expect(await readKerberosTicket({ env: {}, platform: 'win32' })).toEqual({ reason: expect.stringContaining('Windows') });
    expect(await readKerberosTicket({ env: {}, platform: 'darwin' })).toEqual({ reason: expect.stringContaining('macOS') });
  });
});

const noKdc = reportSkip('Kerberos sign-on with a real KDC', await kdcUnavailable());

describe.skipIf(noKdc)('Kerberos sign-on with a real KDC', () => {
  let kdc: TestKdc;
  let h: SimHarness;
  let aliceCache: string;
  beforeAll(async () => {
    kdc = await startKdc();
    await kdc.addUser('alice', 'alice-krb');
    await kdc.addUser('mallory', 'mallory-krb');
    const keytab = await kdc.addService('HTTP/localhost');
    aliceCache = await kdc.kinit('alice', 'alice-krb');
    h = await startSimHarness({
      server: { kerberos: { krb5Conf: kdc.krb5Conf, keytab, servicePrincipal: 'HTTP/localhost' } },
      providers: [
        {
          name: 'Demo',
          services: [{ name: 'KERBEROS', credentials: ['USERID', 'PASSWD'], useKerberos: true, cert: {} }],
          users: [{ id: 'alice', password: 'secret' }],
        },
      ],
    });
  });
  afterAll(async () => {
    await h?.stop();
    await kdc?.stop();
  });

  const ticketFrom = async (cache: string) => {
    const r = await readKerberosTicket({ env: { KRB5CCNAME: `FILE:${cache}` }, platform: 'linux' });
    if ('reason' in r) throw new Error(r.reason);
    return r.ticket;
  };
  const enroll = async (
    ticket: () => Promise<Record<string, string> | undefined>,
    answers = [() => creds({ USERID: 'alice', PASSWD: 'secret' })],
  ) => {
    const t = scriptedTestFrontEnd(answers);
    const outcome = await runEnrollment(
      { provider: 'Demo', service: 'KERBEROS' },
      t.fe,
      h.deps({
        kerberosTicket: ticket,
        // The simulator asks the KDC (kvno) inside the authentication request: allow for a busy machine.
        rcdp: { retry: { retries: 3, baseMs: 5, maxMs: 20 }, timeoutMs: 30_000 },
      }),
    );
    return { outcome, prompts: t.prompts };
  };
  const checks = async () => (await h.control('/kerberos-checks')) as { principal?: string; user?: string; error?: string }[];

  it('reads the TGT that kinit put in the cache', async () => {
    const cache = parseCcache(await fs.readFile(aliceCache));
    expect(principalName(cache.defaultPrincipal)).toBe(`alice@${kdc.realm}`);
    const tgt = findTgt(cache)!;
    expect(principalName(tgt.server)).toBe(`krbtgt/${kdc.realm}@${kdc.realm}`);
    expect(tgt.key.length).toBeGreaterThanOrEqual(16);
    expect(tgt.endTime.getTime()).toBeGreaterThan(Date.now());
    const param = await ticketFrom(aliceCache);
    expect(param).toMatchObject({ 'client-principal': `alice@${kdc.realm}`, 'end-time': expect.stringMatching(/Z$/) });
  });

  it('a real ticket signs alice on without asking for a password', async () => {
    const { outcome, prompts } = await enroll(() => ticketFrom(aliceCache), []);
    expect(outcome).toMatchObject({ status: 'issued' });
    expect(prompts).toEqual([]);
    expect((await checks()).at(-1)).toEqual(expect.objectContaining({ principal: `alice@${kdc.realm}`, user: 'alice' }));
    if (outcome.status !== 'issued') return;
    const rec = await enrollments.get(h.home, outcome.sha256Fingerprint);
    expect(rec).toMatchObject({ service: 'KERBEROS', auth: 'kerberos' });
  });

  it('a ticket with a wrong session key is refused by the KDC: KERBEROS-AUTH-NOK, then the password', async () => {
    const forged = { ...(await ticketFrom(aliceCache)) };
    const key = Buffer.from(forged['session-key'], 'base64');
    key[0] = key[0]! ^ 0xff;
    forged['session-key'] = key.toString('base64');
    const { outcome, prompts } = await enroll(async () => forged);
    expect(outcome).toMatchObject({ status: 'issued' });
    expect(prompts.map((p) => p.kind)).toEqual(['credentials']);
    expect((await checks()).at(-1)).toMatchObject({ error: expect.stringMatching(/ticket rejected/) });
  });

  it('a valid ticket of a principal that is no user of the service is refused, then the password', async () => {
    const malloryCache = await kdc.kinit('mallory', 'mallory-krb');
    const { outcome, prompts } = await enroll(() => ticketFrom(malloryCache));
    expect(outcome).toMatchObject({ status: 'issued' });
    expect(prompts).toHaveLength(1);
    expect((await checks()).at(-1)).toMatchObject({
      principal: `mallory@${kdc.realm}`,
      error: expect.stringContaining('no user'),
    });
  });

  it('a ticket about to expire, or no cache at all, is not sent: the password is asked', async () => {
    const shortCache = await kdc.kinit('alice', 'alice-krb', { lifetime: '20s' });
    const expired = await readKerberosTicket({ env: { KRB5CCNAME: shortCache }, platform: 'linux' });
    expect(expired).toEqual({ reason: expect.stringMatching(/alice@.* expired at .*\(run kinit\)/) });
    const before = (await checks()).length;
    for (const cache of [shortCache, path.join(kdc.dir, 'no-such-cache')]) {
      const ticket = async () => {
        const r = await readKerberosTicket({ env: { KRB5CCNAME: cache }, platform: 'linux' });
        return 'ticket' in r ? r.ticket : undefined;
      };
      const { outcome, prompts } = await enroll(ticket);
      expect(outcome).toMatchObject({ status: 'issued' });
      expect(prompts.map((p) => p.kind)).toEqual(['credentials']);
    }
    expect((await checks()).length).toBe(before); // nothing was sent to check
  });
});
