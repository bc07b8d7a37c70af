/**
 * Windows certificate stores through PowerShell's certificate provider (Cert:\), run by the injected
 * CommandRunner (on Linux, tests record the exact scripts; on Windows it is the real powershell.exe).
 *
 * - CurrentUser\My (default), or LocalMachine\My for store-to-system (needs an elevated agent).
 * - The end-entity certificate and key arrive as a PKCS#12 in a private temp file (deleted afterwards); its
 *   throw-away password is written to PowerShell's standard input, never on the command line.
 * - Chain: intermediates into <location>\CA; the root into <location>\Root only with AddOptions.trustRoot
 *   (Windows asks the user to confirm a CurrentUser\Root addition; LocalMachine\Root needs elevation).
 * - Scripts go in -EncodedCommand (UTF-16LE Base64) so nothing in them is re-parsed by a shell, and output
 *   is forced to UTF-8 so non-ASCII subjects and friendly names survive.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChecked, type CommandResult, type CommandRunner } from '../system/command-runner';
import { writeImportP12 } from './bundle-p12';
import { certreqAccept } from './windows-certreq';
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

export type WindowsLocation = 'CurrentUser' | 'LocalMachine';

export interface WindowsStoreOptions {
  runner: CommandRunner;
  location?: WindowsLocation;
  id?: string;
  /** powershell.exe (Windows PowerShell 5.1, always present) unless told otherwise (pwsh). */
  powershell?: string;
  /** 3DES/RC2 PKCS#12 for Windows before 10 1709 / Server 2016, which cannot read AES-256 ones. */
  legacyP12?: boolean;
  /** Folder for the temporary PKCS#12 (default: the OS temp folder). */
  tmpDir?: string;
}

/** One row of the listing JSON (our Select-Object shape, or a plain `Get-ChildItem | ConvertTo-Json` dump). */
interface PsCert {
  Thumbprint: string;
  FriendlyName?: string | null;
  HasPrivateKey?: boolean;
  RawData?: string | number[];
  /** The CNG provider holding the private key ("Microsoft Platform Crypto Provider" = the TPM), when there is one. */
  KeyProvider?: string | null;
}

/** The CNG key storage provider that keeps keys in the TPM (app/tpm/windows-pcp.ts makes them). */
const PLATFORM_CRYPTO_PROVIDER = 'Microsoft Platform Crypto Provider';

/**
 * The listing's KeyProvider column: the CNG provider of an RSA key (RSACng), which says whether the key is in the TPM.
 * Opening a key handle does not sign, so it asks for no PIN; a key that cannot be opened (a removed smart card) is
 * left blank rather than failing the listing.
 */
export const KEY_PROVIDER =
  "@{Name='KeyProvider'; Expression={if ($_.HasPrivateKey) { try { [Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($_).Key.Provider.Provider } catch { $null } }}}";

/** Quote for a PowerShell single-quoted string literal. */
export function psQuote(s: string): string {
  return `'${s.replace(/'/g, "''").replace(/[\u2018\u2019\u201A\u201B]/g, (c) => c + c)}'`;
}

/** powershell.exe arguments running `script`. */
export function psArgs(script: string): string[] {
  const full = `$ErrorActionPreference = 'Stop'; [Console]::OutputEncoding = [System.Text.Encoding]::UTF8; ${script}`;
  return [
    '-NoProfile',
    '-NonInteractive',
    '-ExecutionPolicy',
    'Bypass',
    '-EncodedCommand',
    Buffer.from(full, 'utf16le').toString('base64'),
  ];
}

/** Decode the script back out of psArgs (for tests and logs). */
export function decodePsScript(args: string[]): string {
  const i = args.indexOf('-EncodedCommand');
  return i >= 0 ? Buffer.from(args[i + 1] ?? '', 'base64').toString('utf16le') : '';
}

/** Parse the JSON PowerShell prints for a certificate listing: nothing, one object, or an array. */
export function parsePsCertificates(stdout: string): PsCert[] {
  const text = stdout.replace(/^\uFEFF/, '').trim();
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`PowerShell returned output that is not JSON (${(err as Error).message}): ${text.slice(0, 200)}`);
  }
  const rows = Array.isArray(parsed) ? parsed : [parsed];
  return rows.filter((r): r is PsCert => !!r && typeof (r as PsCert).Thumbprint === 'string');
}

function rawToDer(raw: PsCert['RawData']): Buffer | undefined {
  if (typeof raw === 'string') return Buffer.from(raw, 'base64');
  if (Array.isArray(raw)) return Buffer.from(raw);
  return undefined;
}

export class WindowsStore implements CertificateStore {
  readonly id: string;
  readonly location: WindowsLocation;
  private readonly ps: string;

  constructor(private readonly opts: WindowsStoreOptions) {
    this.location = opts.location ?? 'CurrentUser';
    this.id = opts.id ?? (this.location === 'CurrentUser' ? 'windows-user' : 'windows-machine');
    this.ps = opts.powershell ?? 'powershell.exe';
  }

  private storePath(name: 'My' | 'CA' | 'Root'): string {
    return `Cert:\\${this.location}\\${name}`;
  }

  async describe(): Promise<StoreDescription> {
    return {
      id: this.id,
      name:
        this.location === 'CurrentUser'
          ? 'Windows certificate store (current user)'
          : 'Windows certificate store (this computer)',
      location: `${this.location}\\My`,
      usedBy: ['Edge', 'Chrome', 'Outlook', 'Windows VPN and Wi-Fi', 'other Windows programs'],
      available: true,
    };
  }

  async list(): Promise<StoredCertificate[]> {
    const script =
      `Get-ChildItem -Path ${psQuote(this.storePath('My'))} | ` +
      `Select-Object Thumbprint, FriendlyName, HasPrivateKey, @{Name='RawData'; Expression={[Convert]::ToBase64String($_.RawData)}}, ${KEY_PROVIDER} | ` +
      `ConvertTo-Json -Compress -Depth 2`;
    const r = await this.run(script);
    const out: StoredCertificate[] = [];
    for (const row of parsePsCertificates(r.stdout)) {
      const der = rawToDer(row.RawData);
      if (!der) continue;
      const facts = certFacts(parseCertificate(der));
      out.push({
        ...facts,
        storeId: this.id,
        ref: `${this.location}\\My\\${row.Thumbprint.toUpperCase()}`,
        hasPrivateKey: row.HasPrivateKey === true,
        ...(row.HasPrivateKey === true && row.KeyProvider === PLATFORM_CRYPTO_PROVIDER ? { keyLocation: 'tpm' as const } : {}),
        label: row.FriendlyName || (commonName(facts.subject) ?? facts.subject),
      });
    }
    return out;
  }

  async find(query: CertificateQuery): Promise<StoredCertificate[]> {
    return (await this.list()).filter((c) => matchesQuery(c, query));
  }

  async add(bundle: CertificateBundle, options: AddOptions = {}): Promise<StoredCertificate> {
    const leaf = parseCertificate(bundle.certPem);
    const facts = certFacts(leaf);
    const existing = (await this.list()).find((c) => c.sha256Fingerprint === facts.sha256Fingerprint);
    if (existing && (existing.hasPrivateKey || (!bundle.keyPem && !bundle.tpmKey))) return existing;

    const dir = await fs.mkdtemp(path.join(this.opts.tmpDir ?? os.tmpdir(), 'keytalk-win-'));
    try {
      const lines: string[] = [];
      let input: string | undefined;
      if (bundle.keyPem) {
        // Only the leaf and key in the PFX: the chain goes to CA/Root explicitly below, not into My.
        const { file: p12, password } = await writeImportP12(dir, bundle, { withChain: false, legacy: this.opts.legacyP12 });
        input = `${password}\n`;
        lines.push(
          `$password = ConvertTo-SecureString -String ([Console]::In.ReadLine()) -AsPlainText -Force`,
          `$cert = Import-PfxCertificate -FilePath ${psQuote(p12)} -CertStoreLocation ${psQuote(this.storePath('My'))} -Password $password`,
        );
      } else if (bundle.tpmKey) {
        // The key is in the TPM (app/tpm/windows-pcp.ts): certreq binds the certificate to it in My.
        await certreqAccept({
          runner: this.opts.runner,
          tmpDir: this.opts.tmpDir,
          storeId: this.id,
          location: this.location,
          certPem: bundle.certPem,
          keySet: bundle.tpmKey.keySet,
        });
        lines.push(`$cert = Get-Item -Path ${psQuote(`${this.storePath('My')}\\${facts.sha1Fingerprint}`)}`);
      } else {
        const cer = path.join(dir, 'cert.cer');
        await fs.writeFile(cer, leaf.raw);
        lines.push(`$cert = Import-Certificate -FilePath ${psQuote(cer)} -CertStoreLocation ${psQuote(this.storePath('My'))}`);
      }
      lines.push(`$cert.FriendlyName = ${psQuote(bundle.label)}`);
      for (const [i, pem] of bundle.chainPem.entries()) {
        const ca = parseCertificate(pem, `chain certificate ${i + 1}`);
        const selfSigned = ca.subject === ca.issuer && ca.checkIssued(ca);
        if (selfSigned && !options.trustRoot) continue;
        const file = path.join(dir, `ca${i}.cer`);
        await fs.writeFile(file, ca.raw);
        lines.push(
          `Import-Certificate -FilePath ${psQuote(file)} -CertStoreLocation ${psQuote(this.storePath(selfSigned ? 'Root' : 'CA'))} | Out-Null`,
        );
      }
      lines.push(`$cert.Thumbprint`);
      const r = await this.run(lines.join('; '), input);
      const thumb = r.stdout.trim().split(/\r?\n/).pop()?.trim().toUpperCase();
      if (thumb !== facts.sha1Fingerprint) {
        throw new StoreError(
          this.id,
          `Windows imported a different certificate than expected (thumbprint ${thumb ?? 'none'}, expected ${facts.sha1Fingerprint})`,
        );
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    const stored = (await this.list()).find((c) => c.sha256Fingerprint === facts.sha256Fingerprint);
    if (!stored) throw new StoreError(this.id, `${facts.subject} is not in ${this.location}\\My after the import`);
    return stored;
  }

  /** Deletes the certificate and its private key; absent = no-op. */
  async remove(sha256Fingerprint: string): Promise<void> {
    const fp = normalizeFingerprint(sha256Fingerprint);
    const target = (await this.list()).find((c) => c.sha256Fingerprint === fp);
    if (!target) return;
    const item = `${this.storePath('My')}\\${target.sha1Fingerprint}`;
    await this.run(`Remove-Item -Path ${psQuote(item)}${target.hasPrivateKey ? ' -DeleteKey' : ''}`);
    if ((await this.list()).some((c) => c.sha256Fingerprint === fp)) {
      throw new StoreError(this.id, `Windows did not remove ${target.subject} from ${this.location}\\My`);
    }
  }

  private run(script: string, input?: string): Promise<CommandResult> {
    return runChecked(
      this.opts.runner,
      { command: this.ps, args: psArgs(script), input },
      {
        cannotStart: (message) =>
          new StoreError(this.id, message, 'Windows PowerShell is needed to use the Windows certificate store'),
        explain: ({ code, text, firstLine }) => {
          if (/Access is denied|UnauthorizedAccess|0x80070005/i.test(text)) {
            return new StoreError(
              this.id,
              `Windows refused access to ${this.location} certificates (${firstLine})`,
              this.location === 'LocalMachine'
                ? 'run the agent as administrator, or ask IT to deploy the certificate'
                : undefined,
            );
          }
          if (/password|0x80070056/i.test(text))
            return new StoreError(
              this.id,
              `Windows could not open the PKCS#12 (${firstLine})`,
              'on Windows before 10 (1709), enable the legacy PKCS#12 format',
            );
          return new StoreError(this.id, `PowerShell failed (exit ${code}): ${firstLine}`);
        },
      },
    );
  }
}
