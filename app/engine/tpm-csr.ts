/**
 * CSR mode with a key born in the TPM (auth-requirements `use-tpm-vsc-authentication: yes`, RCDP 2.6.1): the key is
 * generated and kept in the TPM, the CSR is signed there, and the issued certificate carries a reference to the key
 * instead of a key. The TPM work itself is in app/tpm; this module only ties it to the certificate request.
 */
import type { CsrSubject } from '../crypto/csr';
import type { CertificateBundle } from '../stores/store';
import { FlowFailure } from './front-end';

/** A key in the TPM as the certificate's stores get it (Linux: a persistent handle; Windows: a PCP key name). */
export type TpmKeyRef = NonNullable<CertificateBundle['tpmKey']>;

/** What the engine needs from a TPM (app/tpm TpmKeys on Linux, PlatformCryptoKeys on Windows; a fake in unit tests). */
export interface TpmKeySource {
  createKey(keySize: number): Promise<TpmKeyRef>;
  csr(key: TpmKeyRef, subject: CsrSubject, san: string[], digest: string): Promise<string>;
  publicPem(key: TpmKeyRef): Promise<string>;
  remove(key: TpmKeyRef): Promise<void>;
  /** Starts a 2.7.4 attestation exchange (EK, EK certificate, a fresh AK); absent where the TPM path cannot attest. */
  attest?(): Promise<TpmAttestationExchange>;
}

/** One attestation exchange (app/tpm TpmAttestation): what tpm-attestation sends, and the evidence for its challenge. */
export interface TpmAttestationExchange {
  request: { 'ek-cert': string; 'ek-pub-blob': string; 'ak-name': string };
  evidence(challenge: string, key: TpmKeyRef): Promise<{ evidence: string; binding: Record<string, string> }>;
  close(): Promise<void>;
}

/** The value of use-tpm-vsc-authentication as one of the spec's three answers ("true" read as "yes"). */
export function tpmVscMode(value: string | boolean | undefined): 'yes' | 'yes-with-attestation' | 'no' {
  const v = String(value ?? 'no').toLowerCase();
  if (v === 'yes' || v === 'true') return 'yes';
  if (v === 'yes-with-attestation') return 'yes-with-attestation';
  return 'no';
}

/** The TPM the service's "yes" (or "yes-with-attestation") needs, or a refusal that says why this machine cannot give one. */
export function requireTpm(
  service: string,
  tpm: TpmKeySource | undefined,
  platform: NodeJS.Platform,
  mode: 'yes' | 'yes-with-attestation' = 'yes',
): TpmKeySource {
  if (tpm && (mode === 'yes' || tpm.attest)) return tpm;
  const why =
    platform === 'darwin'
      ? 'macOS has no TPM'
      : tpm
        ? 'this TPM path cannot attest keys (attestation is implemented with tpm2-tools on Linux)'
        : 'no TPM support is configured';
  throw new FlowFailure(
    'unsupported',
    `service ${service} requires a TPM Virtual Smart Card key${mode === 'yes' ? '' : ' with TPM attestation'} (use-tpm-vsc-authentication: ${mode}), but ${why}; ask your administrator to turn it off for this service or use a machine with a TPM`,
  );
}

export interface TpmCsr {
  csr: string;
  key: TpmKeyRef;
  /** The key's public part, to find the issued certificate among the chain. */
  publicPem: string;
}

/** Generates the key in the TPM and has it sign the CSR; the key is removed again if anything fails. */
export async function tpmCsr(
  tpm: TpmKeySource,
  keySize: number,
  subject: CsrSubject,
  san: string[] | undefined,
  signingAlgo: string,
): Promise<TpmCsr> {
  const digest = (/^(?:sha-?)?(1|256|384|512)/i.exec(signingAlgo.trim())?.[1] ?? '256').replace(/^/, 'sha');
  let key: TpmKeyRef;
  try {
    key = await tpm.createKey(keySize);
  } catch (err) {
    throw new FlowFailure('unsupported', `cannot create a key in the TPM: ${(err as Error).message}`);
  }
  try {
    const csr = await tpm.csr(key, subject, san ?? [], digest);
    return { csr, key, publicPem: await tpm.publicPem(key) };
  } catch (err) {
    await tpm.remove(key).catch(() => undefined);
    throw new FlowFailure('unsupported', `the TPM could not sign the certificate request: ${(err as Error).message}`);
  }
}
