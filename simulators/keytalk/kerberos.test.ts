/** kerberos-ticket validation (RCDP 2.6.3): only a TGT the KDC issued, with its real session key, passes. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kdcUnavailable, reportSkip, startKdc, type TestKdc } from '../../test-support/hardware/index';
import { ccacheFromTicket, validateKerberosTicket, type KerberosServerConfig } from './kerberos';

const ticket = (over: Record<string, unknown> = {}) => ({
  'client-principal': 'alice@KEYTALK.TEST',
  'session-key': randomBytes(32).toString('base64'),
  'session-key-encoding': '18',
  tgt: randomBytes(300).toString('base64'),
  'tgt-flags': '1082195968',
  'start-time': new Date().toISOString(),
  'end-time': new Date(Date.now() + 3600_000).toISOString(),
  'renew-till': new Date(Date.now() + 3600_000).toISOString(),
  ...over,
});

describe('ccacheFromTicket: malformed kerberos-ticket objects are named', () => {
  it.each([
    [{ 'client-principal': 'alice' }, /name@REALM/],
    [{ 'session-key-encoding': 'rot13' }, /"rot13" is not a known encryption type/],
    [{ tgt: 5 }, /base64 strings/],
    [{ 'session-key': '' }, /empty/],
    [{ 'end-time': 'tomorrow' }, /ISO 8601/],
  ])('%j', (over, why) => {
    expect(ccacheFromTicket(ticket(over))).toMatch(why);
  });

  it('writes an MIT 0x0504 cache with the client as default principal', () => {
    const b = ccacheFromTicket(ticket({ 'session-key-encoding': 'aes256-cts-hmac-sha1-96' }));
    expect(Buffer.isBuffer(b)).toBe(true);
    expect([...(b as Buffer).subarray(0, 4)]).toEqual([5, 4, 0, 0]);
    expect((b as Buffer).includes(Buffer.from('krbtgt'))).toBe(true);
  });
});

const noKdc = reportSkip('simulator Kerberos validation', await kdcUnavailable());

describe.skipIf(noKdc)('validateKerberosTicket against a real KDC', () => {
  let kdc: TestKdc;
  let cfg: KerberosServerConfig;
  beforeAll(async () => {
    kdc = await startKdc();
    await kdc.addUser('alice', 'pw');
    cfg = { krb5Conf: kdc.krb5Conf, keytab: await kdc.addService('HTTP/localhost'), servicePrincipal: 'HTTP/localhost' };
  });
  afterAll(async () => kdc?.stop());

  it('a forged TGT (random bytes) is refused by the KDC', async () => {
    const r = await validateKerberosTicket(JSON.stringify(ticket()), cfg);
    expect(r).toEqual({ error: expect.stringMatching(/^ticket rejected: /) });
  });

  it('not JSON, or nonsense fields, are refused before the KDC is asked', async () => {
    expect(await validateKerberosTicket('{{', cfg)).toEqual({ error: 'kerberos-ticket is not a JSON object' });
    expect(await validateKerberosTicket(JSON.stringify(ticket({ 'client-principal': '@' })), cfg)).toEqual({
      error: 'client-principal is not name@REALM',
    });
  });
});
