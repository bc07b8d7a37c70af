import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { parseCertutilList } from '../stores/nss-certutil';
import { readNssDb } from '../stores/nss-sqlite';
import type { FileStore } from '../stores/file-store';
import { findMozillaProfiles } from '../stores/mozilla-profiles';
import { parsePsCertificates, psArgs, psQuote } from '../stores/windows-store';
import type { CommandRunner } from '../system/command-runner';
import { errText, FolderSource } from './folder-source';
import {
  pemCertificatesToDer,
  type FoundCert,
  type ScanSource,
  type SkippedItem,
  type SourcePlace,
  type SourceResult,
  type StoreType,
} from './found';

/**
 * Read-only views of the certificate stores for the scanner. The stores' CertificateStore.list() reports facts, not
 * certificate bodies, so each source reads the bodies itself, through the same CommandRunner design as the stores
 * (Windows and macOS tools are asserted by command in tests, as they cannot run here).
 */

/** The agent's own file store (<home>/certs): certificates and, when asked, their key.pem. */
export class FileStoreSource implements ScanSource {
  readonly storeType: StoreType = 'personal';
  readonly id: string;
  readonly description: string;
  readonly place: SourcePlace;
  constructor(private readonly store: FileStore) {
    this.id = store.id;
    this.description = `KeyTalk Agent file store ${store.dir}`;
    this.place = { kind: 'file-store', where: store.dir };
  }
  async scan({ wantKeys }: { wantKeys: boolean }): Promise<SourceResult> {
    const certs: FoundCert[] = [];
    const skipped: SkippedItem[] = [];
    for (const item of await this.store.list()) {
      try {
        const b = await this.store.read(item.sha256Fingerprint);
        const der = pemCertificatesToDer(b.certPem)[0];
        if (!der) throw new Error('cert.pem holds no certificate');
        const base = { sourceId: this.id, storeType: this.storeType, location: this.store.paths(item.sha256Fingerprint).dir };
        certs.push({ ...base, der, keyPem: wantKeys ? b.keyPem : undefined });
        for (const c of b.chainPem) certs.push({ ...base, der: pemCertificatesToDer(c)[0]! });
      } catch (err) {
        skipped.push({ sourceId: this.id, location: item.ref, reason: errText(err) });
      }
    }
    return { certs, skipped };
  }
}

export interface NssSourceOptions {
  dbDir: string;
  runner: CommandRunner;
  storeType?: StoreType;
  label?: string;
  certutil?: string;
  sqlite3?: string;
}

/**
 * One NSS database. Bodies come from one read-only sqlite3 query over cert9.db (stores/nss-sqlite.ts, the same
 * reader as the NSS store); without sqlite3, or when it cannot read the file, `certutil -L` names the
 * certificates and `certutil -L -n NICK -a` exports each. Private keys are not exported from NSS (that needs the
 * token password and pk12util); NSS certificates are sent without keys.
 */
export class NssSource implements ScanSource {
  readonly id: string;
  readonly storeType: StoreType;
  readonly description: string;
  readonly place: SourcePlace;
  constructor(private readonly opts: NssSourceOptions) {
    this.id = `nss:${opts.dbDir}`;
    this.storeType = opts.storeType ?? 'personal';
    this.description = `${opts.label ?? 'NSS database'} ${opts.dbDir}`;
    this.place = { kind: 'nss', where: opts.dbDir };
  }

  async scan(): Promise<SourceResult> {
    const dbFile = path.join(this.opts.dbDir, 'cert9.db');
    if (!existsSync(dbFile)) {
      return {
        certs: [],
        skipped: [
          {
            sourceId: this.id,
            location: this.opts.dbDir,
            reason: 'no cert9.db (the program never ran with this profile, or an old cert8.db profile)',
          },
        ],
      };
    }
    const base = { sourceId: this.id, storeType: this.storeType };
    const viaSql = await readNssDb({ runner: this.opts.runner, dbDir: this.opts.dbDir, sqlite3: this.opts.sqlite3 }).catch(
      () => undefined,
    );
    if (viaSql) {
      const at = (nickname = '(no nickname)') => `${this.opts.dbDir}#${nickname}`;
      return { certs: viaSql.certs.map((c) => ({ ...base, der: c.der, location: at(c.nickname) })), skipped: [] };
    }

    const certutil = this.opts.certutil ?? 'certutil';
    const db = `sql:${this.opts.dbDir}`;
    const listed = await this.opts.runner.run({ command: certutil, args: ['-L', '-d', db] });
    if (listed.code !== 0)
      throw new Error(`certutil -L failed on ${this.opts.dbDir}: ${(listed.stderr || listed.stdout).trim().split('\n').pop()}`);
    const certs: FoundCert[] = [];
    const skipped: SkippedItem[] = [];
    for (const { nickname } of parseCertutilList(listed.stdout)) {
      const r = await this.opts.runner.run({ command: certutil, args: ['-L', '-d', db, '-n', nickname, '-a'] });
      const ders = r.code === 0 ? pemCertificatesToDer(r.stdout) : [];
      if (!ders.length)
        skipped.push({
          sourceId: this.id,
          location: `${this.opts.dbDir}#${nickname}`,
          reason: `certutil could not export it: ${r.stderr.trim()}`,
        });
      for (const der of ders) certs.push({ ...base, der, location: `${this.opts.dbDir}#${nickname}` });
    }
    return { certs, skipped };
  }
}

/** The machine's CA bundle(s) on Linux (Debian and Fedora layouts); `rootPrefix` keeps tests off the real system. */
export class LinuxSystemCaSource implements ScanSource {
  readonly id = 'linux-system-ca';
  readonly storeType: StoreType = 'system';
  readonly description: string;
  readonly place: SourcePlace;
  private readonly files: string[];
  constructor(opts: { rootPrefix?: string } = {}) {
    const p = (f: string) => path.join(opts.rootPrefix || '/', f);
    this.files = [p('etc/ssl/certs/ca-certificates.crt'), p('etc/pki/tls/certs/ca-bundle.crt')];
    this.description = `system CA bundle (${this.files.join(' or ')})`;
    this.place = { kind: 'system-ca', where: this.files.join(', ') };
  }
  async scan(): Promise<SourceResult> {
    for (const file of this.files) {
      let text: string;
      try {
        text = await fs.readFile(file, 'latin1');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        return { certs: [], skipped: [{ sourceId: this.id, location: file, reason: `cannot read: ${errText(err)}` }] };
      }
      return {
        certs: pemCertificatesToDer(text).map((der) => ({ der, sourceId: this.id, storeType: this.storeType, location: file })),
        skipped: [],
      };
    }
    return { certs: [], skipped: [{ sourceId: this.id, location: this.files.join(', '), reason: 'no system CA bundle found' }] };
  }
}

/** A Windows certificate store through PowerShell: CurrentUser\My is personal, LocalMachine\My is system. */
export class WindowsSource implements ScanSource {
  readonly id: string;
  readonly storeType: StoreType;
  readonly description: string;
  readonly place: SourcePlace;
  private readonly storePath: string;
  constructor(private readonly opts: { runner: CommandRunner; location: 'CurrentUser' | 'LocalMachine'; powershell?: string }) {
    this.storePath = `Cert:\\${opts.location}\\My`;
    this.id = `windows:${opts.location}\\My`;
    this.storeType = opts.location === 'CurrentUser' ? 'personal' : 'system';
    this.description = `Windows certificate store ${opts.location}\\My`;
    this.place = { kind: 'windows-store', where: `${opts.location}\\My` };
  }
  async scan(): Promise<SourceResult> {
    const script =
      `Get-ChildItem -Path ${psQuote(this.storePath)} | ` +
      `Select-Object Thumbprint, HasPrivateKey, @{Name='RawData'; Expression={[Convert]::ToBase64String($_.RawData)}} | ` +
      `ConvertTo-Json -Compress -Depth 2`;
    const r = await this.opts.runner.run({ command: this.opts.powershell ?? 'powershell.exe', args: psArgs(script) });
    if (r.code !== 0) throw new Error(`PowerShell could not list ${this.storePath}: ${r.stderr.trim()}`);
    const certs: FoundCert[] = [];
    for (const row of parsePsCertificates(r.stdout)) {
      const der =
        typeof row.RawData === 'string'
          ? Buffer.from(row.RawData, 'base64')
          : Array.isArray(row.RawData)
            ? Buffer.from(row.RawData)
            : undefined;
      if (der)
        certs.push({ der, sourceId: this.id, storeType: this.storeType, location: `${this.storePath}\\${row.Thumbprint}` });
    }
    return { certs, skipped: [] };
  }
}

/** A macOS keychain through `security find-certificate -a -p`: the login keychain is personal, System is system. */
export class MacKeychainSource implements ScanSource {
  readonly id: string;
  readonly description: string;
  readonly place: SourcePlace;
  constructor(private readonly opts: { runner: CommandRunner; keychainPath: string; storeType: StoreType; security?: string }) {
    this.id = `keychain:${opts.keychainPath}`;
    this.description = `macOS keychain ${opts.keychainPath}`;
    this.place = { kind: 'macos-keychain', where: opts.keychainPath };
  }
  get storeType(): StoreType {
    return this.opts.storeType;
  }
  async scan(): Promise<SourceResult> {
    const r = await this.opts.runner.run({
      command: this.opts.security ?? '/usr/bin/security',
      args: ['find-certificate', '-a', '-p', this.opts.keychainPath],
    });
    if (r.code !== 0) throw new Error(`security could not list ${this.opts.keychainPath}: ${r.stderr.trim()}`);
    return {
      certs: pemCertificatesToDer(r.stdout).map((der) => ({
        der,
        sourceId: this.id,
        storeType: this.storeType,
        location: this.opts.keychainPath,
      })),
      skipped: [],
    };
  }
}

export interface DefaultSourcesOptions {
  platform?: NodeJS.Platform;
  runner: CommandRunner;
  /** The user's home directory (HOME / %USERPROFILE%). */
  userHome: string;
  env?: NodeJS.ProcessEnv;
  fileStore?: FileStore;
  folders?: string[];
  maxFileBytes?: number;
  p12Passwords?: string[];
  /** Extra NSS databases besides ~/.pki/nssdb and the Firefox/Thunderbird profiles. */
  nssDbs?: string[];
  rootPrefix?: string;
}

/** Every source of this machine: the stores of the platform, the NSS databases and the configured folders. */
export function defaultSources(o: DefaultSourcesOptions): ScanSource[] {
  const platform = o.platform ?? process.platform;
  const out: ScanSource[] = [];
  if (o.fileStore) out.push(new FileStoreSource(o.fileStore));
  const nssDirs = new Set<string>(o.nssDbs ?? []);
  if (platform === 'linux') nssDirs.add(path.join(o.userHome, '.pki', 'nssdb'));
  for (const p of findMozillaProfiles({ platform, userHome: o.userHome, env: o.env })) if (p.hasSqlDb) nssDirs.add(p.dir);
  for (const dbDir of nssDirs) if (existsSync(path.join(dbDir, 'cert9.db'))) out.push(new NssSource({ dbDir, runner: o.runner }));
  if (platform === 'linux') out.push(new LinuxSystemCaSource({ rootPrefix: o.rootPrefix }));
  if (platform === 'win32') {
    out.push(
      new WindowsSource({ runner: o.runner, location: 'CurrentUser' }),
      new WindowsSource({ runner: o.runner, location: 'LocalMachine' }),
    );
  }
  if (platform === 'darwin') {
    out.push(
      new MacKeychainSource({
        runner: o.runner,
        keychainPath: path.join(o.userHome, 'Library', 'Keychains', 'login.keychain-db'),
        storeType: 'personal',
      }),
      new MacKeychainSource({ runner: o.runner, keychainPath: '/Library/Keychains/System.keychain', storeType: 'system' }),
    );
  }
  if (o.folders?.length)
    out.push(new FolderSource({ folders: o.folders, maxFileBytes: o.maxFileBytes, p12Passwords: o.p12Passwords }));
  return out;
}
