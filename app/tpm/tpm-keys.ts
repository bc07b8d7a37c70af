/**
 * Keys generated inside a TPM 2.0 (the server's `use-tpm-vsc-authentication: yes`, RCDP 2.6.1). The key is created
 * under the owner hierarchy's storage primary with fixedTPM|fixedParent|sensitiveDataOrigin (it never exists
 * outside the TPM and cannot be duplicated), made persistent at a handle, and used by the tpm2-openssl provider to
 * build and sign the CSR. The agent keeps the handle and the key's TPM-wrapped blobs (for the PKCS#11 token,
 * tpm2-pkcs11.ts); there is no private-key file.
 *
 * Everything runs through tpm2-tools and `openssl -provider tpm2` with an injected CommandRunner, so the TCTI
 * (TPM2TOOLS_TCTI / TPM2OPENSSL_TCTI: the kernel resource manager by default, a swtpm socket in tests) comes from
 * the environment.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CsrSubject } from '../crypto/csr';
import type { CommandRunner } from '../system/command-runner';
import { TpmAttestation } from './tpm-attest';
import { flushTransient, TpmError, tpmTool } from './tpm-tool';

export { TpmError };

export interface TpmKeyRef {
  /** Persistent handle, e.g. "0x81008000". */
  handle: string;
  /**
   * tpm2_create's public and private outputs (TPM2B_PUBLIC / TPM2B_PRIVATE, base64), what `tpm2_ptool link` needs to
   * put the key on a PKCS#11 token. Not key material: the private part is encrypted by the TPM with its owner
   * primary (a key that never leaves this TPM) and the key is fixedTPM|fixedParent, so the blob can only ever be
   * loaded into this TPM, under that primary. Absent for keys made before the agent kept it.
   */
  wrapped?: { public: string; private: string };
}

/** The subject fields of a TPM-signed CSR: the same as a Node-signed one (type only; csr.ts's forge stays unloaded). */
export type CsrFields = CsrSubject;

/** Object attributes of a non-exportable signing key born in the TPM. */
export const KEY_ATTRIBUTES = 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign|decrypt';
/** Where the agent's keys go: a block of the owner's persistent range clear of the SRK (0x81000001) and EK (0x81010001). */
const FIRST_HANDLE = 0x81008000;
const LAST_HANDLE = 0x810080ff;

export class TpmKeys {
  constructor(
    private readonly runner: CommandRunner,
    private readonly env: Record<string, string> = {},
  ) {}

  private tool(command: string, args: string[], cwd?: string): Promise<string> {
    return tpmTool(this.runner, this.env, command, args, cwd);
  }

  private flush(): Promise<unknown> {
    return flushTransient(this.runner, this.env);
  }

  /** Why no TPM can be used here, or undefined when it answers. */
  async unavailable(): Promise<string | undefined> {
    try {
      await this.tool('tpm2_getcap', ['properties-fixed']);
      return undefined;
    } catch (e) {
      return `no TPM 2.0 answers (${(e as Error).message})`;
    }
  }

  /** Persistent handles in use. */
  async persistentHandles(): Promise<number[]> {
    const out = await this.tool('tpm2_getcap', ['handles-persistent']);
    return [...out.matchAll(/0x([0-9a-fA-F]{8})/g)].map((m) => parseInt(m[1]!, 16));
  }

  /** Generates an RSA key inside the TPM and makes it persistent; returns its handle. */
  async createKey(keySize: number): Promise<TpmKeyRef> {
    const used = new Set(await this.persistentHandles());
    let free = FIRST_HANDLE;
    while (used.has(free) && free <= LAST_HANDLE) free++;
    if (free > LAST_HANDLE) throw new TpmError('the TPM has no free persistent handle left for agent keys');
    const handle = `0x${free.toString(16)}`;
    // The public/private blobs are wrapped by the TPM's primary key (useless elsewhere): kept in the key reference
    // for the PKCS#11 token (tpm2_ptool link), the temp files go.
    const dir = await mkdtemp(path.join(tmpdir(), 'kt-tpm-'));
    let wrapped: TpmKeyRef['wrapped'];
    try {
      await this.tool('tpm2_createprimary', ['-C', 'o', '-g', 'sha256', '-G', 'rsa', '-c', 'primary.ctx'], dir);
      await this.flush();
      await this.tool(
        'tpm2_create',
        ['-C', 'primary.ctx', '-G', `rsa${keySize}`, '-a', KEY_ATTRIBUTES, '-u', 'key.pub', '-r', 'key.priv'],
        dir,
      );
      await this.flush();
      await this.tool('tpm2_load', ['-C', 'primary.ctx', '-u', 'key.pub', '-r', 'key.priv', '-c', 'key.ctx'], dir);
      await this.tool('tpm2_evictcontrol', ['-C', 'o', '-c', 'key.ctx', handle], dir);
      const blob = async (f: string) => (await readFile(path.join(dir, f))).toString('base64');
      wrapped = { public: await blob('key.pub'), private: await blob('key.priv') };
    } finally {
      await this.flush();
      await rm(dir, { recursive: true, force: true });
    }
    return { handle, wrapped };
  }

  /** A PKCS#10 request signed inside the TPM by the key at `handle` (tpm2-openssl provider). */
  async csr(key: TpmKeyRef, subject: CsrFields, san: string[], digest: string): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'kt-tpm-'));
    try {
      const out = path.join(dir, 'req.csr');
      await this.tool('openssl', [
        'req',
        '-new',
        '-provider',
        'tpm2',
        '-provider',
        'default',
        '-propquery',
        '?provider=tpm2',
        '-key',
        `handle:${key.handle}`,
        '-utf8',
        '-subj',
        opensslSubject(subject),
        ...(san.length ? ['-addext', `subjectAltName=${san.map(opensslSan).join(',')}`] : []),
        `-${digest}`,
        '-out',
        out,
      ]);
      return await readFile(out, 'utf8');
    } finally {
      await this.flush();
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The key's public part as PEM (to match a certificate against it). */
  async publicPem(key: TpmKeyRef): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'kt-tpm-'));
    try {
      await this.tool('tpm2_readpublic', ['-c', key.handle, '-f', 'pem', '-o', path.join(dir, 'pub.pem')]);
      return await readFile(path.join(dir, 'pub.pem'), 'utf8');
    } finally {
      await this.flush();
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Starts an attestation exchange on the same TPM (EK certificate, EK, a fresh AK): tpm-attest.ts. */
  attest(): Promise<TpmAttestation> {
    return TpmAttestation.start(this.runner, this.env);
  }

  /** Deletes the key from the TPM (its certificate was replaced or removed). */
  async remove(key: TpmKeyRef): Promise<void> {
    await this.tool('tpm2_evictcontrol', ['-C', 'o', '-c', key.handle]);
  }
}

/** "/C=NL/O=…/OU=…/CN=…/emailAddress=…" in the same order as the software CSR; "/" "+" "\" escaped. */
export function opensslSubject(s: CsrFields): string {
  const esc = (v: string) => v.trim().replace(/[\\/+]/g, (c) => `\\${c}`);
  const parts: string[] = [];
  const add = (k: string, v: string | undefined) => {
    if (v !== undefined && v.trim() !== '') parts.push(`/${k}=${esc(v)}`);
  };
  add('C', s.c?.toUpperCase());
  add('ST', s.st);
  add('L', s.l);
  add('O', s.o);
  for (const ou of [...(s.ous ?? []), ...(s.ou ? [s.ou] : [])]) add('OU', ou);
  add('CN', s.cn);
  add('emailAddress', s.e);
  return parts.join('') || '/';
}

/** The RCDP SAN spelling ("email:x", "DNS:y", "IP:z", "URI:u") as OpenSSL's subjectAltName value. */
export function opensslSan(entry: string): string {
  const i = entry.indexOf(':');
  const kind = entry.slice(0, i).trim().toLowerCase();
  const value = entry.slice(i + 1).trim();
  const name = { email: 'email', rfc822: 'email', dns: 'DNS', ip: 'IP', uri: 'URI' }[kind];
  if (i <= 0 || !name || !value || /[,\s]/.test(value))
    throw new TpmError(`SAN entry "${entry}" cannot be requested; use email:, DNS:, IP: or URI: without spaces or commas`);
  return `${name}:${value}`;
}
