/**
 * RCDP 2.7.4 tpm-attestation and the 2.7.5 tpm-evidence check, verified for real with openssl and tpm2-tools (no
 * TPM needed on the server side: tpm2_makecredential runs offline with `-T none`, tpm2_print decodes structures).
 *
 * The spec names the fields, not their encoding; the simulator's reading (README "TPM"):
 * - ek-cert (PEM) must chain to a configured TPM Endorsement CA (`openssl verify`), else 1007;
 * - ek-pub-blob is base64 TPM2B_PUBLIC; its key must be the EK certificate's key, else 1008;
 * - ak-name is the hex TPM name (sha256) of the attestation key; the challenge is base64 `tpm2_makecredential`
 *   output for (EK public, AK name) around a random 32-byte secret;
 * - tpm-evidence must be base64 of that secret (what tpm2_activatecredential recovers), and the cert request must
 *   bind the CSR key to the AK: tpm-ak-public (TPM2B_PUBLIC whose name is ak-name, a restricted fixedTPM signing
 *   key), tpm-key-public (TPM2B_PUBLIC: fixedTPM, fixedParent, sensitiveDataOrigin, the CSR's public key) and
 *   tpm-key-certify-info / -signature (a TPMS_ATTEST of type certify naming that key, signed by the AK).
 */
import { execFile } from 'node:child_process';
import { createHash, createPublicKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimContext } from './context';
import { badRequest, ERR, ok, rcdpError, type Reply } from './reply';
import type { Session } from './sessions';

/** What a session remembers between tpm-attestation and cert. */
export interface TpmChallengeState {
  secret: Buffer;
  akName: string;
}

interface ToolResult {
  ok: boolean;
  stdout: string;
  error: string;
}

function tool(command: string, args: string[], cwd: string): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: 20_000, env: { ...process.env, TSS2_LOG: 'all+NONE' } }, (err, stdout, stderr) =>
      resolve({ ok: !err, stdout, error: err ? (stderr.trim() || err.message).split('\n').pop()! : '' }),
    );
  });
}

async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'sim-tpm-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The configured TPM Endorsement CAs: the simulator's own, plus `server.tpmEkCaFile` (e.g. swtpm's local CA). */
async function ekCaBundle(ctx: SimContext): Promise<string> {
  const extra = ctx.fixture.server.tpmEkCaFile ? await readFile(ctx.fixture.server.tpmEkCaFile, 'utf8') : '';
  return `${ctx.pki.tpmEk.certPem}\n${extra}`;
}

/** TPM name of a TPM2B_PUBLIC: nameAlg (sha256 = 0x000b) || SHA-256(TPMT_PUBLIC). */
function tpmName(tpm2bPublic: Buffer): string {
  return `000b${createHash('sha256').update(tpm2bPublic.subarray(2)).digest('hex')}`;
}

/** tpm2_print of a TPM2B_PUBLIC: its attributes and its key as a KeyObject, or why it is no such structure. */
async function readTpmPublic(
  dir: string,
  name: string,
  blob: Buffer,
): Promise<{ attributes: string[]; key: KeyObject } | string> {
  await writeFile(join(dir, name), blob);
  const yaml = await tool('tpm2_print', ['-t', 'TPM2B_PUBLIC', name], dir);
  const pem = await tool('tpm2_print', ['-t', 'TPM2B_PUBLIC', '-f', 'pem', name], dir);
  if (!yaml.ok || !pem.ok) return `not a TPM2B_PUBLIC (${yaml.error || pem.error})`;
  const attrs = /attributes:\s*\n\s*value:\s*(\S+)/.exec(yaml.stdout)?.[1] ?? '';
  return { attributes: attrs.split('|'), key: createPublicKey(pem.stdout) };
}

const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });

/** 2.7.4 tpm-attestation. */
export async function tpmAttestation(ctx: SimContext, s: Session, p: Record<string, string>): Promise<Reply> {
  const ek = p['ek-cert'];
  const blob = p['ek-pub-blob'];
  const ak = p['ak-name']?.toLowerCase();
  if (!ek || !blob || !ak) return badRequest('parameters "ek-cert", "ek-pub-blob" and "ak-name" are required');
  if (!/^000b[0-9a-f]{64}$/.test(ak)) return badRequest('ak-name must be the hex TPM name (SHA-256) of the attestation key');
  return inTempDir(async (dir) => {
    await writeFile(join(dir, 'ek.pem'), ek);
    await writeFile(join(dir, 'ek-ca.pem'), await ekCaBundle(ctx));
    const verified = await tool('openssl', ['verify', '-CAfile', 'ek-ca.pem', 'ek.pem'], dir);
    if (!verified.ok)
      return rcdpError(
        ERR.tpmEkCertNotIssuedByEkCa,
        `EK certificate is not issued by a configured TPM Endorsement CA (${verified.error})`,
      );
    const certKey = await tool('openssl', ['x509', '-in', 'ek.pem', '-noout', '-pubkey'], dir);
    const pub = await readTpmPublic(dir, 'ek.pub', Buffer.from(blob, 'base64'));
    if (!certKey.ok || typeof pub === 'string' || !spki(createPublicKey(certKey.stdout)).equals(spki(pub.key)))
      return rcdpError(
        ERR.tpmEkCertMismatch,
        `EK certificate and EK public blob do not correspond${typeof pub === 'string' ? `: the blob is ${pub}` : ''}`,
      );
    const secret = randomBytes(32);
    await writeFile(join(dir, 'secret.bin'), secret);
    const made = await tool(
      'tpm2_makecredential',
      ['-T', 'none', '-u', 'ek.pub', '-s', 'secret.bin', '-n', ak, '-o', 'cred.bin'],
      dir,
    );
    if (!made.ok) return badRequest(`cannot make a credential for this EK and AK name: ${made.error}`, 500);
    s.tpmChallenge = { secret, akName: ak };
    return ok({ status: 'tpm-attestation', challenge: (await readFile(join(dir, 'cred.bin'))).toString('base64') });
  });
}

/** TPMS_ATTEST of type certify: the certified object's name, or why the structure is something else. */
function certifiedName(attest: Buffer): string | { error: string } {
  try {
    if (attest.readUInt32BE(0) !== 0xff544347) return { error: 'not TPM-generated (magic)' };
    if (attest.readUInt16BE(4) !== 0x8017) return { error: 'not a certify attestation' };
    let at = 6;
    const sized = () => {
      const n = attest.readUInt16BE(at);
      const v = attest.subarray(at + 2, at + 2 + n);
      at += 2 + n;
      return v;
    };
    sized(); // qualifiedSigner
    sized(); // extraData
    at += 17 + 8; // clockInfo, firmwareVersion
    return sized().toString('hex');
  } catch {
    return { error: 'truncated' };
  }
}

/** 2.7.5 tpm-evidence and the key binding; undefined when the CSR key is proven to live in the attested TPM. */
export async function tpmEvidenceProblem(s: Session, p: Record<string, string>, csrKey: KeyObject): Promise<string | undefined> {
  const c = s.tpmChallenge;
  if (!c) return 'no tpm-attestation challenge precedes this certificate request';
  const evidence = Buffer.from(p['tpm-evidence'] ?? '', 'base64');
  if (evidence.length !== c.secret.length || !timingSafeEqual(evidence, c.secret))
    return 'tpm-evidence does not answer the tpm-attestation challenge';
  const field = (k: string) => Buffer.from(p[k] ?? '', 'base64');
  const akBlob = field('tpm-ak-public');
  const keyBlob = field('tpm-key-public');
  const attest = field('tpm-key-certify-info');
  const sig = field('tpm-key-certify-signature');
  if (!akBlob.length || !keyBlob.length || !attest.length || !sig.length)
    return 'the CSR key is not bound to the attestation key (tpm-ak-public, tpm-key-public, tpm-key-certify-info and tpm-key-certify-signature are required)';
  if (tpmName(akBlob) !== c.akName) return 'tpm-ak-public is not the attestation key named in tpm-attestation';
  return inTempDir(async (dir) => {
    const akPub = await readTpmPublic(dir, 'ak.pub', akBlob);
    if (typeof akPub === 'string') return `tpm-ak-public is ${akPub}`;
    for (const a of ['restricted', 'sign', 'fixedtpm'])
      if (!akPub.attributes.includes(a)) return `the attestation key is not ${a}`;
    await writeFile(join(dir, 'ak.pem'), akPub.key.export({ type: 'spki', format: 'pem' }));
    await writeFile(join(dir, 'attest.bin'), attest);
    await writeFile(join(dir, 'sig.bin'), sig);
    const v = await tool('openssl', ['dgst', '-sha256', '-verify', 'ak.pem', '-signature', 'sig.bin', 'attest.bin'], dir);
    if (!v.ok) return 'tpm-key-certify-signature is not the attestation key’s signature of tpm-key-certify-info';
    const named = certifiedName(attest);
    if (typeof named !== 'string') return `tpm-key-certify-info is ${named.error}`;
    if (named !== tpmName(keyBlob)) return 'tpm-key-certify-info certifies another key than tpm-key-public';
    const key = await readTpmPublic(dir, 'key.pub', keyBlob);
    if (typeof key === 'string') return `tpm-key-public is ${key}`;
    for (const a of ['fixedtpm', 'fixedparent', 'sensitivedataorigin'])
      if (!key.attributes.includes(a)) return `the CSR key is not ${a} (it could have been made or copied outside the TPM)`;
    if (!spki(key.key).equals(spki(csrKey))) return 'the CSR is not signed by the certified TPM key';
    return undefined;
  });
}
