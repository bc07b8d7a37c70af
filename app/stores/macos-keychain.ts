/**
 * macOS keychains through Apple's `security` tool, run by the injected CommandRunner (recorded in tests on
 * Linux, the real /usr/bin/security on a Mac).
 *
 * - login keychain (default) or the System keychain for store-to-system (needs an administrator).
 * - `security import` only takes a PKCS#12 password with -P on its command line, so the import is sent as a
 *   command to `security -i` (interactive mode reads commands from standard input): the throw-away password
 *   never appears in any process's argv. The PKCS#12 is the legacy 3DES/RC2 format by default, which every
 *   macOS version imports (AES-256 PKCS#12 needs macOS 14+); its temp file is 0600 and deleted afterwards.
 * - Intermediates: `security add-certificates`; the root is trusted (`security add-trusted-cert -r trustRoot`)
 *   only with AddOptions.trustRoot.
 * - Listing: `security find-certificate -a -Z -p` (hashes and PEM of every certificate) and
 *   `security find-identity` (which certificates have a private key), in parallel.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChecked, type CommandResult, type CommandRunner } from '../system/command-runner';
import { writeImportP12 } from './bundle-p12';
import { certFacts, commonName, matchesQuery, normalizeFingerprint, parseCertificate } from './cert-summary';
import {
  StoreError,
  type AddOptions,
  type CertificateBundle,
  type CertificateQuery,
  type CertificateStore,
  type StoreDescription,
  type StoredCertificate,
} from './store';

export type MacKeychain = 'login' | 'system';

export interface MacKeychainOptions {
  runner: CommandRunner;
  keychain?: MacKeychain;
  /** The user's home (for ~/Library/Keychains/login.keychain-db). */
  userHome?: string;
  /** Explicit keychain file (tests, custom keychains). */
  keychainPath?: string;
  id?: string;
  /** Write AES-256 PKCS#12 instead of the legacy format (macOS 14 and later only). */
  modernP12?: boolean;
  security?: string;
  tmpDir?: string;
}

/** Parse `security find-certificate -a -Z -p`: per certificate optional "SHA-256 hash:", "SHA-1 hash:", then PEM. */
export function parseFindCertificate(stdout: string): { sha1?: string; sha256?: string; pem: string }[] {
  const out: { sha1?: string; sha256?: string; pem: string }[] = [];
  let sha1: string | undefined;
  let sha256: string | undefined;
  const re =
    /^SHA-256 hash: ([0-9A-Fa-f]+)\s*$|^SHA-1 hash: ([0-9A-Fa-f]+)\s*$|(-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----)/gm;
  for (const m of stdout.matchAll(re)) {
    if (m[1]) sha256 = m[1].toUpperCase();
    else if (m[2]) sha1 = m[2].toUpperCase();
    else if (m[3]) {
      out.push({ sha1, sha256, pem: `${m[3]}\n` });
      sha1 = undefined;
      sha256 = undefined;
    }
  }
  return out;
}

/** Parse `security find-identity` lines like `  1) 3A8F...C2 "Zoë Müller"` into SHA-1 hashes and labels. */
export function parseFindIdentity(stdout: string): { sha1: string; label: string }[] {
  const out = new Map<string, string>();
  for (const m of stdout.matchAll(/^\s*\d+\)\s+([0-9A-Fa-f]{40})\s+"(.*)"(?:\s+\(.*\))?\s*$/gm))
    out.set(m[1]!.toUpperCase(), m[2]!);
  return [...out].map(([sha1, label]) => ({ sha1, label }));
}

/** Quote one argument for `security -i` (its parser understands double quotes and backslash escapes). */
export function securityQuote(s: string): string {
  return `"${s.replace(/(["\\])/g, '\\$1')}"`;
}

export class MacKeychainStore implements CertificateStore {
  readonly id: string;
  readonly keychainFile: string;
  private readonly security: string;

  constructor(private readonly opts: MacKeychainOptions) {
    const kind = opts.keychain ?? 'login';
    this.id = opts.id ?? (kind === 'login' ? 'macos-login' : 'macos-system');
    this.keychainFile =
      opts.keychainPath ??
      (kind === 'system'
        ? '/Library/Keychains/System.keychain'
        : path.posix.join(opts.userHome ?? os.homedir(), 'Library', 'Keychains', 'login.keychain-db'));
    this.security = opts.security ?? '/usr/bin/security';
  }

  private get system(): boolean {
    return (this.opts.keychain ?? 'login') === 'system';
  }

  async describe(): Promise<StoreDescription> {
    return {
      id: this.id,
      name: this.system ? 'System keychain' : 'Login keychain',
      location: this.keychainFile,
      usedBy: ['Safari', 'Chrome', 'Edge', 'Mail', 'macOS VPN and Wi-Fi', 'other macOS programs'],
      available: true,
    };
  }

  async list(): Promise<StoredCertificate[]> {
    const [certs, ids] = await Promise.all([
      this.run(['find-certificate', '-a', '-Z', '-p', this.keychainFile]),
      this.run(['find-identity', this.keychainFile]),
    ]);
    const identities = new Map(parseFindIdentity(ids.stdout).map((i) => [i.sha1, i.label]));
    return parseFindCertificate(certs.stdout).map((c) => {
      const facts = certFacts(parseCertificate(c.pem));
      const label = identities.get(facts.sha1Fingerprint) ?? commonName(facts.subject) ?? facts.subject;
      return {
        ...facts,
        storeId: this.id,
        ref: facts.sha1Fingerprint,
        hasPrivateKey: identities.has(facts.sha1Fingerprint),
        label,
      };
    });
  }

  async find(query: CertificateQuery): Promise<StoredCertificate[]> {
    return (await this.list()).filter((c) => matchesQuery(c, query));
  }

  async add(bundle: CertificateBundle, options: AddOptions = {}): Promise<StoredCertificate> {
    const leaf = parseCertificate(bundle.certPem);
    const facts = certFacts(leaf);
    const before = await this.list();
    const existing = before.find((c) => c.sha256Fingerprint === facts.sha256Fingerprint);
    if (existing && (existing.hasPrivateKey || !bundle.keyPem)) return existing;
    const present = new Set(before.map((c) => c.sha256Fingerprint));

    const dir = await fs.mkdtemp(path.join(this.opts.tmpDir ?? os.tmpdir(), 'keytalk-mac-'));
    try {
      if (bundle.keyPem) {
        // Only the leaf and key: the chain is added below (roots as trusted only when asked).
        const { file: p12, password } = await writeImportP12(dir, bundle, { withChain: false, legacy: !this.opts.modernP12 });
        const cmd = ['import', p12, '-k', this.keychainFile, '-f', 'pkcs12', '-P', password].map(securityQuote).join(' ');
        await this.run(['-i'], `${cmd}\n`);
      } else {
        const file = path.join(dir, 'cert.pem');
        await fs.writeFile(file, bundle.certPem);
        await this.run(['add-certificates', '-k', this.keychainFile, file]);
      }
      const cas = bundle.chainPem.map((p, i) => ({ cert: parseCertificate(p, `chain certificate ${i + 1}`), i }));
      const intermediates: string[] = [];
      for (const { cert, i } of cas) {
        const selfSigned = cert.subject === cert.issuer && cert.checkIssued(cert);
        const file = path.join(dir, `ca${i}.pem`);
        await fs.writeFile(file, cert.toString());
        if (selfSigned && options.trustRoot) {
          await this.run(['add-trusted-cert', ...(this.system ? ['-d'] : []), '-r', 'trustRoot', '-k', this.keychainFile, file]);
        } else if (!present.has(normalizeFingerprint(cert.fingerprint256))) {
          intermediates.push(file);
        }
      }
      // add-certificates fails on duplicates, so only the ones not already there are passed.
      if (intermediates.length) await this.run(['add-certificates', '-k', this.keychainFile, ...intermediates]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    const stored = (await this.list()).find((c) => c.sha256Fingerprint === facts.sha256Fingerprint);
    if (!stored) throw new StoreError(this.id, `${facts.subject} is not in ${this.keychainFile} after the import`);
    return stored;
  }

  /** Deletes the certificate, and its private key when it has one (delete-identity); absent = no-op. */
  async remove(sha256Fingerprint: string): Promise<void> {
    const fp = normalizeFingerprint(sha256Fingerprint);
    const target = (await this.list()).find((c) => c.sha256Fingerprint === fp);
    if (!target) return;
    await this.run([
      target.hasPrivateKey ? 'delete-identity' : 'delete-certificate',
      '-Z',
      target.sha1Fingerprint,
      this.keychainFile,
    ]);
    if ((await this.list()).some((c) => c.sha256Fingerprint === fp)) {
      throw new StoreError(this.id, `the keychain still holds ${target.subject} after deleting it`);
    }
  }

  private run(args: string[], input?: string): Promise<CommandResult> {
    return runChecked(
      this.opts.runner,
      { command: this.security, args, input },
      {
        cannotStart: (message) => new StoreError(this.id, message),
        // `security -i` keeps going after a failed command; its errors only show on stderr.
        failed: (r) => r.code !== 0 || (args[0] === '-i' && /error|failed|could not/i.test(r.stderr)),
        explain: ({ code, text, firstLine }) => {
          if (/write permissions|not permitted|authorization|-60005|-25293|UserCanceled|-128/i.test(text)) {
            return new StoreError(
              this.id,
              `macOS refused the change to ${this.keychainFile} (${firstLine})`,
              this.system
                ? 'run the agent as an administrator, or ask IT to deploy the certificate'
                : 'unlock the login keychain and allow the change when macOS asks',
            );
          }
          if (/MAC verification failed|wrong password|-25264/i.test(text)) {
            return new StoreError(
              this.id,
              `macOS could not read the PKCS#12 (${firstLine})`,
              'this macOS version needs the legacy PKCS#12 format; do not enable modernP12',
            );
          }
          return new StoreError(this.id, `security ${args[0] ?? ''} failed (exit ${code}): ${firstLine}`);
        },
      },
    );
  }
}
