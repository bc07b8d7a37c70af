/** The TPM's PKCS#11 token without a TPM: when it is not used, and how the store's objects are read. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordingRunner } from '../system/command-runner';
import { MemorySecretStore } from '../system/secret-store';
import { objectOf, Tpm2Pkcs11Token } from './tpm2-pkcs11';

const token = (modulePath: string, PATH?: string) =>
  new Tpm2Pkcs11Token({
    runner: new RecordingRunner(() => ({ code: 0, stdout: '', stderr: '' })),
    storeDir: '/nonexistent/store',
    secrets: new MemorySecretStore(),
    modulePath,
    ...(PATH !== undefined ? { env: { PATH } } : {}),
  });

describe('Tpm2Pkcs11Token', () => {
  it('is not used without the module or tpm2_ptool, and says which package to install', async () => {
    expect(await token('/nonexistent/libtpm2_pkcs11.so').unavailable()).toMatch(
      /libtpm2_pkcs11.so is not installed \(apt install libtpm2-pkcs11-1/,
    );
    // A module file that exists, but no tpm2_ptool on PATH.
    expect(await token(import.meta.filename, path.dirname(import.meta.filename)).unavailable()).toMatch(
      /tpm2_ptool is not installed \(apt install libtpm2-pkcs11-tools\)/,
    );
  });

  it('points tpm2_ptool and the module at its store and at the TPM tpm2-tools use', () => {
    const t = new Tpm2Pkcs11Token({
      runner: new RecordingRunner(() => ({ code: 0, stdout: '', stderr: '' })),
      storeDir: '/s',
      secrets: new MemorySecretStore(),
      env: { TPM2TOOLS_TCTI: 'swtpm:port=1' },
    });
    expect(t.env).toEqual({ TPM2TOOLS_TCTI: 'swtpm:port=1', TPM2_PKCS11_TCTI: 'swtpm:port=1', TPM2_PKCS11_STORE: '/s' });
  });

  it("reads an object's class and label from tpm2-pkcs11's attribute map", () => {
    // As tpm2_ptool 1.9 writes a certificate object (CKA_CLASS 0 = CKO_CERTIFICATE 1, CKA_LABEL 3 in hex).
    const attrs =
      '---\n!!map {\n  ? !!int "0"\n  : !!int "1",\n  ? !!int "1"\n  : !!bool "true",\n  ? !!int "3"\n  : !!str "414243",\n}\n';
    expect(objectOf('7', attrs)).toEqual({ id: '7', cls: '1', label: 'ABC' });
  });
});
