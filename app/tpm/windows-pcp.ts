/**
 * TPM keys on Windows: the "Microsoft Platform Crypto Provider" (PCP), the CNG key storage provider that keeps keys
 * in the TPM. Windows admins make such a key with `certreq -new` from an INF file and bind the issued certificate to
 * it with `certreq -accept`; the agent does exactly that, so the key is created and used by Windows' own tools and
 * never exists outside the TPM (Exportable = FALSE; the PCP cannot export a private key anyway).
 *
 * `certreq -new` makes the key and the PKCS#10 in one step, so `createKey` only names the key (the container name is
 * the key's reference, like the persistent handle on Linux) and `csr` does the TPM work. certreq also leaves the
 * request in the user's (or machine's) "Certificate Enrollment Requests" store; `certreq -accept` (stores/windows-
 * certreq.ts) finds it by the issued certificate's public key and installs the certificate in My, bound to the key.
 *
 * Everything runs through the injected CommandRunner: on Linux the tests assert the exact argv and INF text.
 */
import { createPublicKey, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type forgeType from 'node-forge';
import type { CsrSubject } from '../crypto/csr';
import type { CommandResult, CommandRunner } from '../system/command-runner';
import { TpmError } from './tpm-keys';

export const PLATFORM_CRYPTO_PROVIDER = 'Microsoft Platform Crypto Provider';

/** Whose keys: the user's (CurrentUser\My) or the machine's (LocalMachine\My, needs an elevated agent). */
export type PcpKeySet = 'user' | 'machine';

/** A PCP key: its container name (the `handle` every TPM key reference has) and the key set it lives in. */
export interface PcpKeyRef {
  handle: string;
  keySet: PcpKeySet;
}

export interface PcpOptions {
  runner: CommandRunner;
  keySet?: PcpKeySet;
  /** Folder for the INF and request files (default: the OS temp folder). */
  tmpDir?: string;
  /** Names a new key's container (default: KeyTalk-<random UUID>); tests pin it. */
  newName?: () => string;
}

/**
 * Failures that mean "this machine has no usable TPM": NTE_DEVICE_NOT_READY (0x80090030, the TPM is off or not
 * provisioned), NTE_DEVICE_NOT_FOUND (0x80090035), NTE_KEYSET_NOT_DEF / NTE_PROV_TYPE_NOT_DEF (0x80090019 /
 * 0x80090017, the provider is not registered: Windows before 8 or a TPM 1.2 without the PCP), NTE_NOT_SUPPORTED
 * (0x80090029, e.g. a key size the TPM cannot make) and the TPM Base Services' own TBS_E_* (0x80284xxx).
 */
const NO_TPM =
  /0x80090030|NTE_DEVICE_NOT_READY|0x80090035|NTE_DEVICE_NOT_FOUND|0x80090019|NTE_KEYSET_NOT_DEF|0x80090017|NTE_PROV_TYPE_NOT_DEF|0x80090029|NTE_NOT_SUPPORTED|0x80284[0-9a-f]{3}|TBS_E_/i;

export const NO_TPM_FIX =
  'turn the TPM on in the firmware (UEFI) settings and check that tpm.msc says "The TPM is ready for use", or ask your administrator to turn off TPM keys (use-tpm-vsc-authentication) for this service';

/** A tool's failure as a TpmError: "no TPM" gets the sentence naming the fix, the rest the tool's own words. */
export function pcpFailure(tool: string, r: CommandResult): TpmError {
  const text = `${r.stderr}\n${r.stdout}`.trim();
  const line = text.split(/\r?\n/).find((l) => /0x8|error|denied|cannot|not /i.test(l)) ?? text.split(/\r?\n/)[0] ?? '';
  if (NO_TPM.test(text)) return new TpmError(`Windows found no usable TPM (${line.trim()}); ${NO_TPM_FIX}`);
  if (/0x80070005|E_ACCESSDENIED|Access is denied/i.test(text)) {
    return new TpmError(`${tool} was refused access (${line.trim()}); machine keys need the agent to run as administrator`);
  }
  return new TpmError(`${tool} failed (exit ${r.code}): ${line.trim()}`);
}

/** certreq's and certutil's context switch for the key set. */
export const keySetFlag = (k: PcpKeySet): string => (k === 'machine' ? '-machine' : '-user');

/** A value in an INF double-quoted string: a literal quote is doubled. */
const infQuote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * A value of an X.500 name as CertStrToName reads it (certreq's Subject): quoted when it holds a character that
 * would end or split it (`,` `+` `=` `;` `"` `<` `>` `\`, or surrounding spaces), a quote inside doubled.
 */
function x500Value(v: string): string {
  const t = v.trim();
  // A line break would end the INF's Subject line and start keys of its own (Exportable = TRUE, another provider).
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(t))
    throw new TpmError(`subject value ${JSON.stringify(t)} holds a control character (a line break?) and cannot be requested`);
  return /[,+=;"<>\\#]|^\s|\s$/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** The subject as certreq's INF wants it: most specific first (CN…C), the order of the certreq documentation. */
export function certreqSubject(s: CsrSubject): string {
  const parts: string[] = [];
  const add = (k: string, v: string | undefined) => {
    if (v !== undefined && v.trim() !== '') parts.push(`${k}=${x500Value(v)}`);
  };
  add('E', s.e);
  add('CN', s.cn);
  for (const ou of [...(s.ou ? [s.ou] : []), ...[...(s.ous ?? [])].reverse()]) add('OU', ou);
  add('O', s.o);
  add('L', s.l);
  add('S', s.st);
  add('C', s.c?.toUpperCase());
  return parts.join(', ');
}

/** An RCDP SAN entry ("email:x", "DNS:y", "IP:z", "URI:u") as a certreq `{text}` SAN line ("email=x&"). */
export function certreqSan(entry: string): string {
  const i = entry.indexOf(':');
  const kind = entry.slice(0, i).trim().toLowerCase();
  const value = entry.slice(i + 1).trim();
  const name = { email: 'email', rfc822: 'email', dns: 'dns', ip: 'ipaddress', uri: 'url' }[kind];
  // "&" separates entries and '"' ends the INF string: neither can be part of a value.
  if (i <= 0 || !name || !value || /[&"\s]/.test(value))
    throw new TpmError(`SAN entry "${entry}" cannot be requested; use email:, DNS:, IP: or URI: without spaces, "&" or quotes`);
  return `${name}=${value}&`;
}

export interface PcpRequest {
  container: string;
  keySet: PcpKeySet;
  keySize: number;
  subject: CsrSubject;
  san: string[];
  /** sha1, sha256, sha384 or sha512. */
  digest: string;
}

/** The certreq INF of a non-exportable RSA key in the Platform Crypto Provider and its PKCS#10 request. */
export function pcpInf(r: PcpRequest): string {
  const lines = [
    '[Version]',
    'Signature = "$Windows NT$"',
    '',
    '[NewRequest]',
    `Subject = ${infQuote(certreqSubject(r.subject))}`,
    `ProviderName = ${infQuote(PLATFORM_CRYPTO_PROVIDER)}`,
    // Naming the container (certreq would pick a GUID) gives the agent a reference to delete the key by.
    `KeyContainer = ${infQuote(r.container)}`,
    'KeyAlgorithm = RSA',
    `KeyLength = ${r.keySize}`,
    `HashAlgorithm = ${r.digest}`,
    'Exportable = FALSE',
    `MachineKeySet = ${r.keySet === 'machine' ? 'TRUE' : 'FALSE'}`,
    // Digital signature | key encipherment, as the software CSR's key is used for TLS client auth and S/MIME.
    'KeyUsage = 0xa0',
    'RequestType = PKCS10',
    'SMIME = FALSE',
    // No UI: the agent runs unattended renewals; a TPM key has no password to ask anyway.
    'Silent = TRUE',
  ];
  if (r.san.length) {
    lines.push('', '[Extensions]', '2.5.29.17 = "{text}"', ...r.san.map((e) => `_continue_ = ${infQuote(certreqSan(e))}`));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The SubjectPublicKeyInfo of a PKCS#10 request as a PEM public key (to find the issued certificate). */
export async function csrPublicKeyPem(csrPem: string): Promise<string> {
  const { default: forge } = await import('node-forge');
  const der = Buffer.from(csrPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  // CertificationRequest ::= SEQUENCE { certificationRequestInfo SEQUENCE { version, subject, subjectPKInfo, … }, … }
  const info = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary'))).value[0] as forgeType.asn1.Asn1;
  const spki = (info.value as forgeType.asn1.Asn1[])[2]!;
  const spkiDer = Buffer.from(forge.asn1.toDer(spki).getBytes(), 'binary');
  return createPublicKey({ key: spkiDer, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString();
}

/** Keys in the TPM through the Platform Crypto Provider, with the interface the engine uses on Linux (TpmKeySource). */
export class PlatformCryptoKeys {
  readonly keySet: PcpKeySet;
  /** Per named key: the size asked for in createKey, then the public key of the request certreq made. */
  private readonly sizes = new Map<string, number>();
  private readonly publicKeys = new Map<string, string>();

  constructor(private readonly o: PcpOptions) {
    this.keySet = o.keySet ?? 'user';
  }

  private async run(command: string, args: string[], tool: string): Promise<CommandResult> {
    const r = await this.o.runner.run({ command, args, timeoutMs: 120_000 }).catch((e: Error) => {
      throw new TpmError(`${e.message} (${tool} is part of Windows; is this Windows?)`);
    });
    if (r.code !== 0) throw pcpFailure(tool, r);
    return r;
  }

  /** Names the key; certreq creates it with the request (`csr`), since one INF makes both. */
  async createKey(keySize: number): Promise<PcpKeyRef> {
    if (![1024, 2048, 3072, 4096].includes(keySize))
      throw new TpmError(`the TPM cannot make an RSA key of ${keySize} bits (the server's key-size); 2048 is what TPMs support`);
    const handle = this.o.newName?.() ?? `KeyTalk-${randomUUID()}`;
    this.sizes.set(handle, keySize);
    return { handle, keySet: this.keySet };
  }

  /** `certreq -new`: the key is generated in the TPM and signs the PKCS#10 request there. */
  async csr(key: { handle: string }, subject: CsrSubject, san: string[], digest: string): Promise<string> {
    const keySize = this.sizes.get(key.handle) ?? 2048;
    const dir = await fs.mkdtemp(path.join(this.o.tmpDir ?? os.tmpdir(), 'keytalk-pcp-'));
    try {
      const inf = path.join(dir, 'request.inf');
      const req = path.join(dir, 'request.req');
      const text = pcpInf({ container: key.handle, keySet: this.keySet, keySize, subject, san, digest });
      // UTF-16LE with a BOM: certreq reads Unicode INF files, so a subject like "Zoë Müller" survives any code page.
      await fs.writeFile(inf, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
      await this.run('certreq.exe', ['-new', '-q', keySetFlag(this.keySet), inf, req], 'certreq');
      const pem = await fs.readFile(req, 'utf8').catch(() => {
        throw new TpmError('certreq reported success but wrote no request file');
      });
      // certreq writes "NEW CERTIFICATE REQUEST"; the server and OpenSSL expect the RFC 7468 label.
      const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
      const csr = `-----BEGIN CERTIFICATE REQUEST-----\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE REQUEST-----\n`;
      this.publicKeys.set(key.handle, await csrPublicKeyPem(csr));
      return csr;
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /** The key's public part, taken from the request certreq made with it. */
  async publicPem(key: { handle: string }): Promise<string> {
    const pem = this.publicKeys.get(key.handle);
    if (!pem) throw new TpmError(`no request was made with the key ${key.handle} in this run`);
    return pem;
  }

  /** Deletes the key from the TPM (request failed, certificate replaced or removed). */
  async remove(key: { handle: string }): Promise<void> {
    this.sizes.delete(key.handle);
    this.publicKeys.delete(key.handle);
    const ctx = this.keySet === 'user' ? ['-user'] : [];
    await this.run('certutil.exe', [...ctx, '-csp', PLATFORM_CRYPTO_PROVIDER, '-delkey', key.handle], 'certutil');
  }
}
