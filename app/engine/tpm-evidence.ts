/**
 * The attestation steps of a `yes-with-attestation` enrollment (RCDP 2.7.4 tpm-attestation, 2.7.5 tpm-evidence).
 * The TPM proves who it is first (EK certificate, EK public, a fresh AK) and gets the server's challenge, before any
 * key is generated: a TPM the server refuses (1007/1008) costs no key. After the TPM key signed the CSR, the TPM
 * answers the challenge and binds that key to the AK; the fields go with the CSR. The TPM work is in
 * app/tpm/tpm-attest.ts (which documents the encoding); this module ties it to the RCDP session and turns the
 * server's 1007/1008 into sentences a user can act on.
 */
import { coreText } from '../model/core-text';
import type { StepDetail } from '../model/flow-types';
import type { Logger } from '../log/logger';
import type { PublicApiClient } from '../public-api/client';
import type { RcdpClient } from '../rcdp/client';
import { RcdpServerError } from '../rcdp/errors';
import { FlowFailure } from './front-end';
import type { TpmAttestationExchange, TpmKeyRef, TpmKeySource } from './tpm-csr';

/** The first version whose document has tpm-attestation and tpm-evidence ("as of v2.7.2"). */
export const TPM_ATTESTATION_SINCE = '2.7.2';

/** An exchange under way: the challenge is in hand; `fieldsFor` answers it for the CSR key. Always `close` it. */
export interface StartedAttestation {
  fieldsFor(key: TpmKeyRef): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** 2.7.4: EK certificate, EK public blob and AK name to the server; its challenge back. */
export async function startTpmAttestation(
  client: Pick<RcdpClient, 'tpmAttestation'>,
  tpm: TpmKeySource,
  step: (step: string, detail?: StepDetail) => void,
): Promise<StartedAttestation> {
  if (!tpm.attest) throw new FlowFailure('unsupported', 'this TPM path cannot attest keys');
  step('tpm-attestation', coreText('step.tpm-keys', 'endorsement key certificate and attestation key'));
  let exchange: TpmAttestationExchange;
  try {
    exchange = await tpm.attest();
  } catch (err) {
    throw new FlowFailure('unsupported', `the TPM cannot be attested: ${(err as Error).message}`);
  }
  let challenge: string;
  try {
    challenge = (await client.tpmAttestation(exchange.request)).challenge;
  } catch (err) {
    await exchange.close().catch(() => undefined);
    throw attestationRefusal(err);
  }
  return {
    // 2.7.5: tpm-evidence plus the binding of the CSR key to the AK (app/tpm/tpm-attest.ts).
    async fieldsFor(key) {
      step('tpm-evidence', coreText('step.tpm-challenge', 'the TPM answers the challenge and certifies the key'));
      try {
        const made = await exchange.evidence(challenge, key);
        return { 'tpm-evidence': made.evidence, ...made.binding };
      } catch (err) {
        throw new FlowFailure('protocol', `TPM attestation failed: ${(err as Error).message}`);
      }
    },
    close: () => exchange.close().catch(() => undefined),
  };
}

/**
 * Public API 3.2.16 is-cert-tpm-attested for a TPM-bound certificate just issued, kept with the enrollment so the
 * certificate details can say whether the server attested the key (the answer is the server's, not the agent's
 * belief). A server without the endpoint (before 1.6.8) or a failed call leaves it unknown, never fails the issue.
 */
export async function askTpmAttested(
  api: Pick<PublicApiClient, 'isCertTpmAttested'>,
  cert: { sha1Fingerprint: string },
  log: Pick<Logger, 'warn'>,
): Promise<boolean | undefined> {
  try {
    return await api.isCertTpmAttested(cert.sha1Fingerprint.toLowerCase());
  } catch (err) {
    log.warn('is-cert-tpm-attested not answered', { error: (err as Error).message });
    return undefined;
  }
}

/** 1007/1008 in words: what is wrong with this computer's TPM from the server's point of view, and who can fix it. */
function attestationRefusal(err: unknown): unknown {
  if (!(err instanceof RcdpServerError)) return err;
  if (err.serverCode === 1007)
    return new FlowFailure(
      'server-error',
      "The KeyTalk server does not trust this computer's TPM: its endorsement key certificate was not issued by a TPM Endorsement CA configured on the server (error 1007 ErrTpmEkCertNotIssuedByEkCa). Ask your administrator to add your TPM manufacturer's endorsement CA to the server.",
      { cause: err },
    );
  if (err.serverCode === 1008)
    return new FlowFailure(
      'server-error',
      "This computer's TPM endorsement key certificate does not belong to its endorsement key (error 1008 ErrTpmEkCertMismatchEkPubBlob): the certificate stored in the TPM is for another key. Ask your administrator; the TPM may have been cleared or its certificate replaced.",
      { cause: err },
    );
  return err;
}
