/**
 * TPM key attestation for `use-tpm-vsc-authentication: yes-with-attestation` (RCDP 2.7.4 tpm-attestation, 2.7.5
 * tpm-evidence), with tpm2-tools. The spec names the fields but not their encoding; this is the TCG credential
 * protocol that tpm2-tools implements, chosen because any server can check it with standard tools:
 *
 * - `ek-cert`: the EK certificate the manufacturer wrote into NV index 0x01c00002 (the TCG place for the RSA EK
 *   certificate), as PEM. `ek-pub-blob`: base64 of the EK's TPM2B_PUBLIC exactly as `tpm2_createek -u` exports it
 *   (the server needs it in that form for tpm2_makecredential). `ak-name`: hex of the name of a restricted signing
 *   key (AK) made under the EK for this one exchange (`tpm2_createak -n`).
 * - `challenge`: base64 of `tpm2_makecredential` output (its 0xBADCC0DE header + TPM2B_ID_OBJECT +
 *   TPM2B_ENCRYPTED_SECRET; the bare pair without the header is accepted too). Only a TPM that holds both the EK
 *   and an object with that AK name can open it.
 * - `tpm-evidence`: base64 of the secret `tpm2_activatecredential` recovers. That proves the AK lives in the EK's
 *   TPM, but not the CSR key; so the cert request also carries (extra form fields a server may ignore):
 *   `tpm-key-public` (the CSR key's TPM2B_PUBLIC), `tpm-ak-public` (the AK's TPM2B_PUBLIC, whose name must be the
 *   ak-name), `tpm-key-certify-info` (TPMS_ATTEST from `tpm2_certify` of the CSR key by the AK) and
 *   `tpm-key-certify-signature` (its ECDSA-SHA256 signature, DER, as `openssl dgst -verify` takes it). The AK is
 *   ECC P-256 (every PC-client TPM has it): generating it takes a fraction of an RSA key's time. A restricted AK signs only structures the TPM
 *   itself generated, so a valid certify says "this key, with these attributes, is loaded in the AK's TPM".
 *   tpm2_certify (tools 5.x) puts a fixed qualifying value in the structure; freshness comes from the AK being new
 *   for each exchange and proven by the activation.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CommandRunner } from '../system/command-runner';
import { flushTransient, TpmError, tpmTool } from './tpm-tool';

/** TCG EK Credential Profile: NV index of the RSA 2048 EK certificate. */
export const EK_CERT_NV_INDEX = '0x01c00002';
/** tpm2-tools' header on a credential file (magic + version 1). */
const CRED_HEADER = Buffer.from('badcc0de00000001', 'hex');

/** What 2.7.4 tpm-attestation sends. */
export interface AttestationRequest {
  'ek-cert': string;
  'ek-pub-blob': string;
  'ak-name': string;
}

/** tpm-evidence and the extra fields binding the CSR key to the attested AK. */
export interface TpmEvidence {
  evidence: string;
  binding: Record<string, string>;
}

/** One attestation exchange: EK and AK are made on start, the AK context lives in a private temp folder until close. */
export class TpmAttestation {
  private constructor(
    private readonly runner: CommandRunner,
    private readonly env: Record<string, string>,
    private readonly dir: string,
    readonly request: AttestationRequest,
  ) {}

  static async start(runner: CommandRunner, env: Record<string, string> = {}): Promise<TpmAttestation> {
    const dir = await mkdtemp(path.join(tmpdir(), 'kt-tpm-attest-'));
    const tool = (command: string, args: string[]) => tpmTool(runner, env, command, args, dir);
    try {
      await tool('tpm2_nvread', [EK_CERT_NV_INDEX, '-o', 'ek-cert.der']).catch((e: Error) => {
        throw new TpmError(
          `this TPM has no endorsement key certificate at NV index ${EK_CERT_NV_INDEX}, so it cannot be attested (${e.message}); some firmware TPMs publish theirs only online, which this agent does not fetch`,
        );
      });
      const ekCertPem = derToPem(trimDer(await readFile(path.join(dir, 'ek-cert.der'))));
      // The EK is re-derived from the endorsement seed with the standard template: the key its certificate is for.
      await tool('tpm2_createek', ['-c', 'ek.ctx', '-G', 'rsa', '-u', 'ek.pub']);
      await flushTransient(runner, env);
      await tool('tpm2_createak', [
        '-C',
        'ek.ctx',
        '-c',
        'ak.ctx',
        '-G',
        'ecc',
        '-g',
        'sha256',
        '-s',
        'ecdsa',
        '-u',
        'ak.pub',
        '-n',
        'ak.name',
      ]);
      await flushTransient(runner, env);
      const request: AttestationRequest = {
        'ek-cert': ekCertPem,
        'ek-pub-blob': (await readFile(path.join(dir, 'ek.pub'))).toString('base64'),
        'ak-name': (await readFile(path.join(dir, 'ak.name'))).toString('hex'),
      };
      return new TpmAttestation(runner, env, dir, request);
    } catch (err) {
      await flushTransient(runner, env);
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  private tool(command: string, args: string[]): Promise<string> {
    return tpmTool(this.runner, this.env, command, args, this.dir);
  }

  /** Opens the server's challenge with EK + AK and has the AK certify the CSR key at `key`. */
  async evidence(challenge: string, key: { handle: string }): Promise<TpmEvidence> {
    await writeFile(path.join(this.dir, 'cred.bin'), credentialBlob(challenge));
    try {
      // The EK's policy needs the endorsement hierarchy's authorization, given through a policy session.
      await this.tool('tpm2_startauthsession', ['--policy-session', '-S', 'session.ctx']);
      await this.tool('tpm2_policysecret', ['-S', 'session.ctx', '-c', 'e']);
      await this.tool('tpm2_activatecredential', [
        ...['-c', 'ak.ctx', '-C', 'ek.ctx', '-i', 'cred.bin', '-o', 'secret.bin', '-P', 'session:session.ctx'],
      ]).catch((e: Error) => {
        throw new TpmError(`the TPM could not open the server's attestation challenge (${e.message})`);
      });
    } finally {
      await this.tool('tpm2_flushcontext', ['session.ctx']).catch(() => undefined);
      await flushTransient(this.runner, this.env);
    }
    try {
      await this.tool('tpm2_readpublic', ['-c', key.handle, '-o', 'key.pub', '-f', 'tss']);
      await this.tool('tpm2_certify', [
        ...['-c', key.handle, '-C', 'ak.ctx', '-g', 'sha256', '-o', 'attest.bin', '-s', 'sig.bin', '-f', 'plain'],
      ]);
    } finally {
      await flushTransient(this.runner, this.env);
    }
    const b64 = async (f: string) => (await readFile(path.join(this.dir, f))).toString('base64');
    return {
      evidence: await b64('secret.bin'),
      binding: {
        'tpm-key-public': await b64('key.pub'),
        'tpm-ak-public': await b64('ak.pub'),
        'tpm-key-certify-info': await b64('attest.bin'),
        'tpm-key-certify-signature': await b64('sig.bin'),
      },
    };
  }

  /** Removes the exchange's files (the AK was only ever a saved context; nothing stays in the TPM). */
  async close(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The challenge as a tpm2-tools credential file; a clear error when it is neither form. */
export function credentialBlob(challenge: string): Buffer {
  const raw = Buffer.from(challenge.trim(), 'base64');
  if (raw.length > CRED_HEADER.length && raw.subarray(0, CRED_HEADER.length).equals(CRED_HEADER)) return raw;
  // TPM2B_ID_OBJECT followed by TPM2B_ENCRYPTED_SECRET, each a 16-bit size and that many bytes, nothing after.
  if (raw.length >= 4) {
    const first = raw.readUInt16BE(0);
    const at = 2 + first;
    if (first > 0 && raw.length >= at + 2 && raw.readUInt16BE(at) > 0 && at + 2 + raw.readUInt16BE(at) === raw.length)
      return Buffer.concat([CRED_HEADER, raw]);
  }
  throw new TpmError(
    `the server's tpm-attestation challenge is not a TPM 2.0 credential (tpm2_makecredential output, or TPM2B_ID_OBJECT + TPM2B_ENCRYPTED_SECRET): ${raw.length} bytes starting ${raw.subarray(0, 8).toString('hex') || '(empty)'}`,
  );
}

/** NV indices are often larger than the certificate: cut the DER at the end of its outer SEQUENCE. */
export function trimDer(der: Buffer): Buffer {
  if (der.length < 2 || der[0] !== 0x30) throw new TpmError('the TPM endorsement key certificate is not DER');
  const l = der[1]!;
  if (l < 0x80) return der.subarray(0, 2 + l);
  const n = l & 0x7f;
  if (n < 1 || n > 4 || der.length < 2 + n) throw new TpmError('the TPM endorsement key certificate has a bad length');
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + der[2 + i]!;
  if (der.length < 2 + n + len) throw new TpmError('the TPM endorsement key certificate is cut short');
  return der.subarray(0, 2 + n + len);
}

function derToPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
