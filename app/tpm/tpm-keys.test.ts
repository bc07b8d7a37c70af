/** TPM-generated keys (RCDP 2.6.1 use-tpm-vsc-authentication "yes") against a real software TPM (swtpm). */
import { createPublicKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSkip, startSwtpm, swtpmUnavailable, type SwTpm } from '../../test-support/hardware/index';
import { processRunner, RecordingRunner } from '../system/command-runner';
import { opensslSan, opensslSubject, TpmKeys } from './index';

describe('CSR fields for openssl req', () => {
  it('subject in the software CSR order, with /, + and \\ escaped', () => {
    expect(opensslSubject({ cn: 'A/B+C', c: 'nl', o: 'KeyTalk', ous: ['Dev', 'Ops'], e: 'a@b.c' })).toBe(
      '/C=NL/O=KeyTalk/OU=Dev/OU=Ops/CN=A\\/B\\+C/emailAddress=a@b.c',
    );
  });
  it('SANs in OpenSSL spelling; unusable ones are refused with a reason', () => {
    expect(['email:a@b.c', 'DNS:x.test', 'ip:10.0.0.1', 'URI:https://x'].map(opensslSan)).toEqual([
      'email:a@b.c',
      'DNS:x.test',
      'IP:10.0.0.1',
      'URI:https://x',
    ]);
    expect(() => opensslSan('DNS:a,b')).toThrow(/cannot be requested/);
    expect(() => opensslSan('otherName:x')).toThrow(/email:, DNS:/);
  });
  it('a missing TPM is reported, not thrown', async () => {
    const runner = new RecordingRunner(() => ({ code: 1, stdout: '', stderr: 'ERROR: Could not load tcti\n' }));
    expect(await new TpmKeys(runner).unavailable()).toMatch(/no TPM 2.0 answers .*Could not load tcti/);
  });
});

const noTpm = reportSkip('TPM keys with swtpm', await swtpmUnavailable());

describe.skipIf(noTpm)('TPM keys with swtpm', () => {
  let tpm: SwTpm;
  let keys: TpmKeys;
  beforeAll(async () => {
    tpm = await startSwtpm();
    keys = new TpmKeys(processRunner, tpm.env);
  });
  afterAll(async () => tpm?.stop());

  it('creates a non-exportable key at a persistent handle and signs a CSR with it', async () => {
    expect(await keys.unavailable()).toBeUndefined();
    const key = await keys.createKey(2048);
    expect(key.handle).toBe('0x81008000');
    const pub = await tpm.tpm2('tpm2_readpublic', ['-c', key.handle]);
    for (const a of ['fixedtpm', 'fixedparent', 'sensitivedataorigin', 'sign']) expect(pub).toContain(a);
    const csr = await keys.csr(key, { cn: 'Alice', o: 'KeyTalk', c: 'NL' }, ['email:alice@keytalk.test'], 'sha256');
    const text = execFileSync('openssl', ['req', '-verify', '-noout', '-text'], { input: csr, stdio: 'pipe' }).toString();
    expect(text).toMatch(/Subject: C ?= ?NL, O ?= ?KeyTalk, CN ?= ?Alice/);
    expect(text).toContain('email:alice@keytalk.test');
    const csrKey = execFileSync('openssl', ['req', '-pubkey', '-noout'], { input: csr }).toString();
    const tpmKey = await keys.publicPem(key);
    const der = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' });
    expect(der(csrKey).equals(der(tpmKey))).toBe(true);
    // A second key takes the next handle; removing the first frees its handle.
    expect((await keys.createKey(2048)).handle).toBe('0x81008001');
    await keys.remove(key);
    expect(await keys.persistentHandles()).toEqual([0x81008001]);
  });
});
