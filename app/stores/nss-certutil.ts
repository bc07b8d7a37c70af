/**
 * The command layer of the NSS store: running certutil/pk12util on one database, turning their failures into
 * StoreErrors the user can act on, parsing their listings, and the private temp folder that carries passwords
 * (database token password, throw-away PKCS#12 password) as 0600 files — never on the command line.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChecked, type CommandResult, type CommandRunner, type ToolFailure } from '../system/command-runner';
import { StoreError } from './store';

/** How certutil names a certificate without a label (pk12util import without friendlyName). */
export const NO_NICKNAME = '(NULL)';

/** Parse `certutil -L` output: nickname and trust flags per line; nicknames may hold spaces and any Unicode. */
export function parseCertutilList(stdout: string): { nickname: string; trust: string }[] {
  const out: { nickname: string; trust: string }[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    // The trust column is the last field: three comma-separated flag groups ("u,u,u", ",,", "CT,C,C").
    const m = /^(.*?\S)\s+([a-zA-Z]*,[a-zA-Z]*,[a-zA-Z]*)\s*$/.exec(line);
    if (!m) continue;
    if (/^Certificate Nickname\b/.test(m[1]!) || /^SSL,S\/MIME,JAR\/XPI$/.test(m[2]!)) continue;
    out.push({ nickname: m[1]!, trust: m[2]! });
  }
  return out;
}

/** Parse `certutil -K` output lines like "< 0> rsa      0123abcd...   Nickname". */
export function parseCertutilKeys(stdout: string): { keyId: string; nickname: string }[] {
  const out: { keyId: string; nickname: string }[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^<\s*\d+>\s+\S+\s+([0-9a-fA-F]+)\s+(.*?)\s*$/.exec(line);
    if (m) out.push({ keyId: m[1]!.toUpperCase(), nickname: m[2]! });
  }
  return out;
}

export interface NssToolsOptions {
  storeId: string;
  /** The database folder, without the "sql:" prefix. */
  dbDir: string;
  runner: CommandRunner;
  certutil?: string;
  pk12util?: string;
}

/** certutil/pk12util bound to one database; every failure becomes a StoreError naming the problem and the fix. */
export class NssTools {
  readonly certutilPath: string;
  readonly pk12utilPath: string;
  constructor(private readonly opts: NssToolsOptions) {
    this.certutilPath = opts.certutil ?? 'certutil';
    this.pk12utilPath = opts.pk12util ?? 'pk12util';
  }

  /** The database as NSS tools address it. */
  get db(): string {
    return `sql:${this.opts.dbDir}`;
  }

  certutil(args: string[], input?: string, okCodes: number[] = [0]): Promise<CommandResult> {
    return this.run(this.certutilPath, args, input, okCodes);
  }

  pk12util(args: string[]): Promise<CommandResult> {
    return this.run(this.pk12utilPath, args);
  }

  /** The nicknames `certutil -L` shows (a label holding ":" comes with the token name in front). */
  async listedNicknames(): Promise<string[]> {
    return parseCertutilList((await this.certutil(['-L', '-d', this.db])).stdout).map((l) => l.nickname);
  }

  private run(command: string, args: string[], input?: string, okCodes: number[] = [0]): Promise<CommandResult> {
    return runChecked(
      this.opts.runner,
      { command, args, input },
      {
        cannotStart: (message) =>
          new StoreError(
            this.opts.storeId,
            message,
            'install the NSS tools (Debian/Ubuntu: apt install libnss3-tools; Fedora: dnf install nss-tools)',
          ),
        failed: (r) => !okCodes.includes(r.code),
        explain: (f) => this.toolError(command, args, f),
      },
    );
  }

  private toolError(command: string, args: string[], { code, text }: ToolFailure): StoreError {
    const { storeId, dbDir } = this.opts;
    const short = text.split('\n').filter(Boolean).slice(-2).join(' ');
    const what = `${path.basename(command)} ${args[0] ?? ''}`.trim();
    if (/SEC_ERROR_BAD_PASSWORD|Incorrect password|SEC_ERROR_RETRY_PASSWORD|failed to authenticate/i.test(text)) {
      return new StoreError(
        storeId,
        `the password of the NSS database ${dbDir} was not accepted (${short})`,
        'enter the database password (Firefox: the Primary Password) in the store settings',
      );
    }
    if (
      /SEC_ERROR_BAD_DATABASE|SEC_ERROR_LEGACY_DATABASE|database is locked|SQLITE_BUSY|SEC_ERROR_PKCS11_GENERAL_ERROR|SEC_ERROR_LOCKED|SEC_ERROR_READ_ONLY/i.test(
        text,
      )
    ) {
      return new StoreError(
        storeId,
        `the NSS database ${dbDir} cannot be opened: it is damaged or locked by another program (${short})`,
        'close Firefox/Thunderbird/Chromium and try again; if it keeps failing, restore the profile from a backup',
      );
    }
    return new StoreError(storeId, `${what} failed on ${dbDir} (exit ${code}): ${short}`);
  }
}

export interface TempDir {
  dir: string;
  tokenPwFile: string;
  secretFile(name: string, content: string): Promise<string>;
}

/** A private (0700) temp folder with the token password in a 0600 file; deleted afterwards, whatever happens. */
export async function withTempDir<T>(tokenPassword: string, fn: (t: TempDir) => Promise<T>): Promise<T> {
  swept ??= sweepDeadTempDirs();
  await swept;
  // The pid in the name lets a later process tell a dead owner's folder (private key, passwords) from a live one.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `keytalk-nss-${process.pid}-`));
  try {
    await fs.chmod(dir, 0o700);
    const secretFile = async (name: string, content: string) => {
      const f = path.join(dir, name);
      await fs.writeFile(f, content, { mode: 0o600 });
      return f;
    };
    const tokenPwFile = await secretFile('token.pw', tokenPassword);
    return await fn({ dir, tokenPwFile, secretFile });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

let swept: Promise<void> | undefined;

/**
 * A process killed during pk12util leaves its temp folder behind with the throw-away PKCS#12 (the private key) and
 * its password. Once per process, before the first NSS change, remove those whose owner is gone (issue 22).
 */
export async function sweepDeadTempDirs(tmp = os.tmpdir()): Promise<void> {
  const names = await fs.readdir(tmp).catch(() => [] as string[]);
  for (const n of names) {
    const pid = Number(/^keytalk-nss-(\d+)-/.exec(n)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    await fs.rm(path.join(tmp, n), { recursive: true, force: true }).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
