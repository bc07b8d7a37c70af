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
import { psArgs } from '../stores/windows-store';
import { RecordingRunner } from '../system/command-runner';
import { cacheFile, findTgt, locateCache, parseCcache, principalName, readKerberosTicket } from './index';
import { WINDOWS_TGT_SCRIPT } from './windows-lsa';

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

  it('macOS: no ticket source yet, said plainly', async () => {
    expect(await readKerberosTicket({ env: {}, platform: 'darwin' })).toEqual({ reason: expect.stringContaining('macOS') });
  });

  it('Windows: the TGT from the LSA (KerbRetrieveEncodedTicketMessage via PowerShell); each refusal says why', async () => {
    const lsa = (json: object | string) =>
      new RecordingRunner(() => ({
        code: 0,
        stdout: typeof json === 'string' ? json : `${JSON.stringify(json)}\r\n`,
        stderr: '',
      }));
    const read = (runner: RecordingRunner) =>
      readKerberosTicket({ env: {}, platform: 'win32', runner, now: () => new Date('2026-12-03T12:00:00Z') });
    const runner = lsa({ NoDomain: true });
    expect(await read(runner)).toEqual({ reason: expect.stringMatching(/not signed in to a domain/) });
    expect(runner.calls).toEqual([{ command: 'powershell.exe', args: psArgs(WINDOWS_TGT_SCRIPT), timeoutMs: 60_000 }]);
    // The one script: krbtgt/<USERDNSDOMAIN> from the logon's cache, message 8 = KerbRetrieveEncodedTicketMessage.
    expect(WINDOWS_TGT_SCRIPT).toMatch(
      /^if \(-not \$env:USERDNSDOMAIN\).*Add-Type -TypeDefinition @'\n[\s\S]*\n'@; \[KtLsa\]::Get\(\$env:USERDNSDOMAIN\) \| ConvertTo-Json -Compress$/,
    );
    expect(WINDOWS_TGT_SCRIPT).toContain('q.MessageType = 8;');
    expect(WINDOWS_TGT_SCRIPT).toContain('string target = "krbtgt/" + domain;');

    const tgt = {
      Client: 'alice',
      Realm: 'CORP.TEST',
      KeyType: 18,
      Key: Buffer.alloc(32, 7).toString('base64'),
      Ticket: 'YQ==',
      Flags: 0x40e10000,
      Start: '2026-12-03T08:00:00Z',
      End: '2026-12-03T18:00:00Z',
      Renew: '2026-12-10T08:00:00Z',
      Status: 0,
    };
    expect(await read(lsa(tgt))).toEqual({
      cache: 'LSA:CORP.TEST',
      ticket: {
        'client-principal': 'alice@CORP.TEST',
        'session-key': tgt.Key,
        'session-key-encoding': '18',
        tgt: 'YQ==',
        'tgt-flags': String(0x40e10000),
        'start-time': '2026-12-03T08:00:00Z',
        'end-time': '2026-12-03T18:00:00Z',
        'renew-till': '2026-12-10T08:00:00Z',
      },
    });
    expect(await read(lsa({ ...tgt, Key: Buffer.alloc(32).toString('base64') }))).toEqual({
      reason: expect.stringMatching(/withholds the session key.*AllowTgtSessionKey=1/),
    });
    expect(await read(lsa({ Status: -1073741729, Client: null, Key: null, Ticket: null }))).toEqual({
      reason: expect.stringMatching(/no Kerberos ticket-granting ticket for this logon \(LSA status 0xC000005F\)/),
    });
    expect(await read(lsa({ ...tgt, End: '2026-12-03T12:00:10Z' }))).toEqual({
      reason: expect.stringMatching(/alice@CORP.TEST expired/),
    });
    const broken = new RecordingRunner(() => ({ code: 1, stdout: '', stderr: 'Add-Type : Cannot add type.\r\n' }));
    expect(await read(broken)).toEqual({
      reason: expect.stringMatching(/could not be read \(PowerShell exit 1: Add-Type : Cannot add type\.\)/),
    });
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

  it('Windows: the LSA report of a real TGT becomes the very kerberos-ticket that signed alice on (fake PowerShell)', async () => {
    // What KtLsa.Get prints for alice's TGT, taken from the real ticket kinit got.
    const tgt = findTgt(parseCcache(await fs.readFile(aliceCache)))!;
    const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const lsaJson = JSON.stringify({
      Client: tgt.client.components.join('/'),
      Realm: tgt.client.realm,
      KeyType: tgt.keyType,
      Key: tgt.key.toString('base64'),
      Ticket: tgt.ticket.toString('base64'),
      Flags: tgt.flags >>> 0,
      Start: iso(tgt.startTime),
      End: iso(tgt.endTime),
      Renew: iso(tgt.renewTill),
      Status: 0,
    });
    const runner = new RecordingRunner(() => ({ code: 0, stdout: `${lsaJson}\r\n`, stderr: '' }));
    const r = await readKerberosTicket({ env: {}, platform: 'win32', runner });
    // Field by field what the ccache gives, which the simulator accepted from the KDC above.
    expect(r).toEqual({ cache: `LSA:${kdc.realm}`, ticket: await ticketFrom(aliceCache) });
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
