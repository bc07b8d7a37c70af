/**
 * Installing a certificate whose key was made in the TPM by `certreq -new` (app/tpm/windows-pcp.ts): `certreq
 * -accept` finds the pending request with the same public key in the "Certificate Enrollment Requests" store, puts
 * the certificate into My and binds it to the TPM key. Import-Certificate would store the certificate without its
 * key (HasPrivateKey false), so a TPM-bound certificate always goes this way.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChecked, type CommandRunner } from '../system/command-runner';
import { StoreError } from './store';

export interface CertreqAccept {
  runner: CommandRunner;
  storeId: string;
  location: 'CurrentUser' | 'LocalMachine';
  certPem: string;
  /** The key set the TPM key was made in (absent: the store's own). */
  keySet?: 'user' | 'machine';
  tmpDir?: string;
}

/** `certreq -accept -q -user|-machine cert.cer`; errors say what to do. */
export async function certreqAccept(a: CertreqAccept): Promise<void> {
  const wanted = a.location === 'LocalMachine' ? 'machine' : 'user';
  if (a.keySet && a.keySet !== wanted) {
    // A non-exportable key cannot move between the user's and the machine's key sets.
    throw new StoreError(
      a.storeId,
      `the certificate's TPM key was made for ${a.keySet === 'user' ? 'the current user' : 'this computer'}, so it cannot be installed in ${a.location}\\My`,
      'enroll again so that a new TPM key is made for this store',
    );
  }
  const dir = await fs.mkdtemp(path.join(a.tmpDir ?? os.tmpdir(), 'keytalk-accept-'));
  try {
    const cer = path.join(dir, 'issued.cer');
    await fs.writeFile(cer, a.certPem);
    await runChecked(
      a.runner,
      { command: 'certreq.exe', args: ['-accept', '-q', `-${wanted}`, cer], timeoutMs: 120_000 },
      {
        cannotStart: (m) => new StoreError(a.storeId, m, 'certreq.exe is part of Windows; is this Windows?'),
        explain: ({ code, text, firstLine }) => {
          // CRYPT_E_NOT_FOUND: no pending request has this public key (made by another user, or deleted).
          if (/0x80092004|CRYPT_E_NOT_FOUND/i.test(text))
            return new StoreError(
              a.storeId,
              `Windows has no pending request for this certificate's TPM key in ${a.location} (${firstLine})`,
              'enroll again on this computer as the same user',
            );
          if (/0x80070005|Access is denied/i.test(text))
            return new StoreError(
              a.storeId,
              `Windows refused access to ${a.location} certificates (${firstLine})`,
              a.location === 'LocalMachine' ? 'run the agent as administrator' : undefined,
            );
          return new StoreError(a.storeId, `certreq -accept failed (exit ${code}): ${firstLine}`);
        },
      },
    );
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
