/**
 * A TPM manufacturer's part for attestation tests: an Endorsement CA, and an EK certificate written into the TPM's
 * NV index 0x01c00002 (the TCG place for the RSA EK certificate) the way platform firmware provisions it, so the agent
 * reads it exactly as it would on real hardware.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SwTpm } from './swtpm';
import { run } from './tools';

export interface EkCa {
  certPem: string;
  certFile: string;
  keyFile: string;
}

/** A self-signed CA (openssl, ECDSA P-256) in `dir`, named `name`. */
export async function createEkCa(dir: string, name: string): Promise<EkCa> {
  const certFile = join(dir, `${name}.crt.pem`);
  const keyFile = join(dir, `${name}.key.pem`);
  await run('openssl', [
    // P-256: a CA key in milliseconds; the EK certificates it signs are for the TPM's RSA EK all the same.
    ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile],
    ...['-subj', `/O=Test TPM Vendor/CN=${name}`, '-days', '30'],
  ]);
  return { certPem: await readFile(certFile, 'utf8'), certFile, keyFile };
}

/** The TPM's RSA EK public key as PEM (re-derived with the standard template, like the agent does). */
export async function ekPublicPem(tpm: SwTpm): Promise<string> {
  await tpm.tpm2('tpm2_createek', ['-c', 'ek.ctx', '-G', 'rsa', '-u', 'ek.pub']);
  return tpm.tpm2('tpm2_print', ['-t', 'TPM2B_PUBLIC', '-f', 'pem', 'ek.pub']);
}

/**
 * Issues an EK certificate from `ca` for `publicKeyPem` (default: this TPM's own EK) and writes it to NV index
 * 0x01c00002 under the platform hierarchy, replacing what was there.
 */
export async function provisionEkCert(tpm: SwTpm, ca: EkCa, publicKeyPem?: string): Promise<void> {
  const pubFile = join(tpm.dir, 'ek-cert-key.pem');
  await writeFile(pubFile, publicKeyPem ?? (await ekPublicPem(tpm)));
  const der = join(tpm.dir, 'ek-cert.der');
  await run('openssl', [
    ...['x509', '-new', '-force_pubkey', pubFile, '-subj', '/CN=TPM EK', '-CA', ca.certFile, '-CAkey', ca.keyFile],
    ...['-days', '30', '-outform', 'DER', '-out', der],
  ]);
  const size = (await readFile(der)).length;
  await tpm.tpm2('tpm2_nvundefine', ['0x01c00002', '-C', 'p']).catch(() => undefined);
  await tpm.tpm2('tpm2_nvdefine', [
    ...['0x01c00002', '-C', 'p', '-s', String(size)],
    ...['-a', 'ppwrite|ppread|ownerread|authread|no_da|platformcreate'],
  ]);
  await tpm.tpm2('tpm2_nvwrite', ['0x01c00002', '-C', 'p', '-i', der]);
}
