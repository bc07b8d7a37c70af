/**
 * The Linux system trust store, for the RCCD's CA certificates when the server says they belong there
 * (should-cert-go-to-system-store / store-to-system). CA certificates only: keys never go here.
 *
 * - Debian/Ubuntu: PEM files in /usr/local/share/ca-certificates/keytalk/*.crt, then update-ca-certificates.
 * - Fedora/RHEL/SUSE (p11-kit): PEM files in /etc/pki/ca-trust/source/anchors/keytalk-*.pem, then
 *   `update-ca-trust extract` — the same files and step `trust anchor --store` performs, but with files we
 *   name ourselves so list() and remove() need no parsing of p11-kit output.
 *
 * `rootPrefix` moves every path (and update-ca-certificates' own directories) under a folder, so tests run the
 * real tool without touching the machine's store. Writing here needs administrator rights; without them the
 * error says so and what to do instead.
 */
import { coreText } from '../model/core-text';
import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import type { CommandRunner, CommandResult } from '../system/command-runner';
import {
  certFacts,
  commonName,
  matchesQuery,
  normalizeFingerprint,
  parseCertificate,
  splitPemCertificates,
} from './cert-summary';
import {
  StoreError,
  type AddOptions,
  type CertificateBundle,
  type CertificateQuery,
  type CertificateStore,
  type StoreDescription,
  type StoredCertificate,
} from './store';

export type LinuxCaFlavour = 'debian' | 'fedora';

export interface LinuxSystemCaOptions {
  runner: CommandRunner;
  /** Prefix for every system path ("" = the real system). Tests always set one. */
  rootPrefix?: string;
  /** Which mechanism; detected from the machine (under the prefix) when absent. */
  flavour?: LinuxCaFlavour;
  id?: string;
}

const PRIVILEGE_HINT =
  'run the agent as administrator (sudo) for this step, or ask IT to deploy the KeyTalk CA certificates to this machine';

export function detectLinuxCaFlavour(rootPrefix = ''): LinuxCaFlavour | undefined {
  const at = (p: string) => existsSync(path.join(rootPrefix || '/', p));
  if (at('usr/sbin/update-ca-certificates') || at('etc/debian_version')) return 'debian';
  if (at('usr/bin/update-ca-trust') || at('etc/pki/ca-trust')) return 'fedora';
  return undefined;
}

export class LinuxSystemCaStore implements CertificateStore {
  readonly id: string;
  private readonly prefix: string;
  private readonly flavour: LinuxCaFlavour | undefined;

  constructor(private readonly opts: LinuxSystemCaOptions) {
    this.id = opts.id ?? 'linux-system-ca';
    this.prefix = opts.rootPrefix ?? '';
    this.flavour = opts.flavour ?? detectLinuxCaFlavour(this.prefix);
  }

  private sys(p: string): string {
    return this.prefix ? path.join(this.prefix, p) : p;
  }

  /** The folder holding the agent's CA files. */
  get dir(): string {
    return this.flavour === 'fedora'
      ? this.sys('/etc/pki/ca-trust/source/anchors')
      : this.sys('/usr/local/share/ca-certificates/keytalk');
  }

  private fileName(cn: string, fp: string): string {
    const slug =
      cn
        .normalize('NFKD')
        .replace(/[^A-Za-z0-9._-]+/g, '_')
        .replace(/^_+|_+$/g, '')
        .slice(0, 60) || 'ca';
    return this.flavour === 'fedora' ? `keytalk-${slug}-${fp.slice(0, 16)}.pem` : `${slug}-${fp.slice(0, 16)}.crt`;
  }

  private ours(name: string): boolean {
    return this.flavour === 'fedora' ? name.startsWith('keytalk-') && name.endsWith('.pem') : name.endsWith('.crt');
  }

  async describe(): Promise<StoreDescription> {
    const base = {
      id: this.id,
      name: 'System CA certificates',
      location: this.dir,
      usedBy: ['OpenSSL/GnuTLS programs', 'curl', 'wget', 'Python, Node.js and other system-trusting software'],
    };
    if (!this.flavour) {
      return {
        ...base,
        available: false,
        unavailableReason: 'neither update-ca-certificates nor update-ca-trust was found; install ca-certificates',
        unavailableText: coreText('store.system-ca-tool-missing', 'neither update-ca-certificates nor update-ca-trust was found'),
      };
    }
    return { ...base, available: true };
  }

  async list(): Promise<StoredCertificate[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw this.fsError(err, `cannot read ${this.dir}`);
    }
    const out: StoredCertificate[] = [];
    for (const name of names.filter((n) => this.ours(n)).sort()) {
      const file = path.join(this.dir, name);
      try {
        const facts = certFacts(parseCertificate(await fs.readFile(file)));
        out.push({
          ...facts,
          storeId: this.id,
          ref: file,
          hasPrivateKey: false,
          label: commonName(facts.subject) ?? facts.subject,
        });
      } catch {
        // Not ours to judge: a file someone else dropped here that is not a certificate is skipped.
      }
    }
    return out;
  }

  async find(query: CertificateQuery): Promise<StoredCertificate[]> {
    return (await this.list()).filter((c) => matchesQuery(c, query));
  }

  /** Installs bundle.certPem (a CA certificate) and any CA certificates in the chain; keys are ignored. */
  async add(bundle: CertificateBundle, _options: AddOptions = {}): Promise<StoredCertificate> {
    this.requireFlavour();
    const main = parseCertificate(bundle.certPem);
    if (!main.ca) {
      throw new StoreError(
        this.id,
        `${certFacts(main).subject} is not a CA certificate`,
        'the system store holds CA certificates only; put end-entity certificates in a personal store',
      );
    }
    const cas = [bundle.certPem, ...bundle.chainPem].map((p) => parseCertificate(p)).filter((c) => c.ca);
    const existing = new Set((await this.list()).map((c) => c.sha256Fingerprint));
    const written: string[] = [];
    try {
      await fs.mkdir(this.dir, { recursive: true, mode: 0o755 });
      for (const c of cas) {
        const facts = certFacts(c);
        if (existing.has(facts.sha256Fingerprint)) continue;
        const file = path.join(this.dir, this.fileName(commonName(facts.subject) ?? facts.subject, facts.sha256Fingerprint));
        await fs.writeFile(file, c.toString().trimEnd() + '\n', { mode: 0o644 });
        written.push(file);
        existing.add(facts.sha256Fingerprint);
      }
      if (written.length) await this.refresh();
    } catch (err) {
      // Leave the store as it was: take our files out again (and refresh, best effort).
      for (const f of written) await fs.rm(f, { force: true });
      if (written.length) await this.refresh().catch(() => undefined);
      if (err instanceof StoreError) throw err;
      throw this.fsError(err, `cannot write the CA certificate to ${this.dir}`);
    }
    const fp = normalizeFingerprint(main.fingerprint256);
    const stored = (await this.list()).find((c) => c.sha256Fingerprint === fp);
    if (!stored) throw new StoreError(this.id, `the CA certificate was written but is not readable in ${this.dir}`);
    return stored;
  }

  async remove(sha256Fingerprint: string): Promise<void> {
    this.requireFlavour();
    const fp = normalizeFingerprint(sha256Fingerprint);
    const target = (await this.list()).find((c) => c.sha256Fingerprint === fp);
    if (!target) return;
    const saved = await fs.readFile(target.ref);
    try {
      await fs.rm(target.ref);
    } catch (err) {
      throw this.fsError(err, `cannot remove ${target.ref}`);
    }
    try {
      await this.refresh();
    } catch (err) {
      await fs.writeFile(target.ref, saved, { mode: 0o644 }).catch(() => undefined);
      throw err;
    }
  }

  /** The system bundle the tools produce (for checks and tests). */
  get bundleFile(): string {
    return this.flavour === 'fedora'
      ? this.sys('/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem')
      : this.sys('/etc/ssl/certs/ca-certificates.crt');
  }

  /** Certificates in the system bundle, to verify a CA really is trusted after add(). */
  async bundleFingerprints(): Promise<Set<string>> {
    const text = await fs.readFile(this.bundleFile, 'utf8').catch(() => '');
    return new Set(splitPemCertificates(text).map((p) => normalizeFingerprint(parseCertificate(p).fingerprint256)));
  }

  private async refresh(): Promise<void> {
    let spec: { command: string; args: string[] };
    if (this.flavour === 'fedora') {
      spec = { command: 'update-ca-trust', args: ['extract'] };
    } else if (this.prefix) {
      spec = {
        command: 'update-ca-certificates',
        args: [
          '--certsconf',
          this.sys('/etc/ca-certificates.conf'),
          '--certsdir',
          this.sys('/usr/share/ca-certificates'),
          '--localcertsdir',
          this.sys('/usr/local/share/ca-certificates'),
          '--etccertsdir',
          this.sys('/etc/ssl/certs'),
          '--hooksdir',
          this.sys('/etc/ca-certificates/update.d'),
        ],
      };
    } else {
      spec = { command: 'update-ca-certificates', args: [] };
    }
    let r: CommandResult;
    try {
      r = await this.opts.runner.run(spec);
    } catch (err) {
      throw new StoreError(this.id, (err as Error).message, 'install the ca-certificates package');
    }
    if (r.code !== 0) {
      const text = `${r.stderr}\n${r.stdout}`.trim();
      if (/permission denied|operation not permitted|EACCES|read-only file system/i.test(text)) {
        throw new StoreError(this.id, `${spec.command} needs administrator rights (${text.split('\n')[0]})`, PRIVILEGE_HINT);
      }
      throw new StoreError(this.id, `${spec.command} failed (exit ${r.code}): ${text.split('\n').slice(-2).join(' ')}`);
    }
  }

  private requireFlavour(): void {
    if (!this.flavour)
      throw new StoreError(
        this.id,
        'no system CA tool found (update-ca-certificates or update-ca-trust)',
        'install the ca-certificates package',
      );
  }

  private fsError(err: unknown, message: string): StoreError {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      return new StoreError(this.id, `${message}: permission denied`, PRIVILEGE_HINT);
    }
    return new StoreError(this.id, `${message}: ${(err as Error).message}`);
  }
}
