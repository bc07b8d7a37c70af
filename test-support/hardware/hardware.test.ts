import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kdcUnavailable, reportSkip, startKdc, startSwtpm, swtpmUnavailable } from './index';
import { run } from './tools';

const noTpm = reportSkip('swtpm harness', await swtpmUnavailable());
const noKdc = reportSkip('KDC harness', await kdcUnavailable());

describe.skipIf(noTpm)('swtpm harness', () => {
  it('starts a TPM that creates keys, and removes its folder on stop', async () => {
    const tpm = await startSwtpm();
    try {
      await tpm.tpm2('tpm2_createprimary', ['-C', 'o', '-g', 'sha256', '-G', 'rsa', '-c', 'primary.ctx']);
      const cap = await tpm.tpm2('tpm2_getcap', ['properties-fixed']);
      expect(cap).toMatch(/TPM2_PT_FAMILY_INDICATOR/);
    } finally {
      await tpm.stop();
    }
    expect(existsSync(tpm.dir)).toBe(false);
  });
});

describe.skipIf(noKdc)('KDC harness', () => {
  it('issues a TGT to a user and a service ticket that the service keytab decrypts', async () => {
    const kdc = await startKdc();
    try {
      await kdc.addUser('alice', 'alice-pw');
      const keytab = await kdc.addService('HTTP/localhost');
      const cache = await kdc.kinit('alice', 'alice-pw');
      const list = await run('klist', ['-c', cache], { env: kdc.env });
      expect(list.stdout).toContain(`krbtgt/${kdc.realm}@${kdc.realm}`);
      const kvno = await run('kvno', ['-c', cache, '-k', keytab, 'HTTP/localhost'], { env: kdc.env });
      expect(kvno.stdout).toMatch(/keytab entry valid/);
      await expect(kdc.kinit('alice', 'wrong')).rejects.toThrow(/kinit/);
      expect((await readFile(kdc.krb5Conf, 'utf8')).includes(kdc.realm)).toBe(true);
    } finally {
      await kdc.stop();
    }
    expect(existsSync(kdc.dir)).toBe(false);
  });
});
