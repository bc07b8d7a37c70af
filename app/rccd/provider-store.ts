import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { homeLayout } from '../config/home';
import { writeFileAtomic } from '../system/atomic-write';
import { crashPoint } from '../system/crash-point';
import { describeZodIssue } from '../system/describe-zod-issue';
import { withStateLock } from '../system/home-lock';
import { reportDamage } from '../system/state-file';
import { RCCD_LIMITS } from './rccd-limits';
import { RccdTrustError, unconfirmedTrustTexts } from './rccd-trust';
import { providerRecordSchema, type ProviderRecord } from './types';
import type { ZipLimits } from './zip-guard';

/**
 * Imported providers live under <home>/providers/<folder>/: provider.json plus the CA certificates as PEM files
 * (root.pem, primary.pem, signing.pem, server.pem, extra-signing.pem) so support staff and other tools can use them.
 * An import is staged in a sibling temp folder and swapped in with renames, so a failure at any point leaves
 * the previous provider untouched.
 */

export interface ImportOptions {
  /** Original file name, recorded for support. */
  fileName?: string;
  /** Re-import even when the RCCD's ContentVersion is not newer than the installed one. */
  force?: boolean;
  /** Install an unsigned or self-vouched RCCD (rccd-trust.ts); refused with RccdTrustError otherwise. */
  acceptUnsigned?: boolean;
  limits?: ZipLimits;
  now?: () => Date;
}

export class ProviderNotFoundError extends Error {
  constructor(name: string) {
    super(`No provider named "${name}" is installed; import its RCCD file first (keytalk-agent rccd import FILE)`);
    this.name = 'ProviderNotFoundError';
  }
}

export class RccdVersionError extends Error {
  constructor(
    readonly installed: number,
    readonly offered: number,
    name: string,
  ) {
    super(
      `Provider "${name}" already has content version ${installed}; this RCCD has version ${offered}, which is not newer. ` +
        'Use --force to install it anyway.',
    );
    this.name = 'RccdVersionError';
  }
}

function providersDir(home: string): string {
  return path.join(home, 'providers');
}

/** The folder rule before names that lose characters got a hash: "日本" and "中国" both became "__". */
function legacyFolderName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[^A-Za-z0-9._ -]/g, '_')
    .replace(/^[.\s]+/, '_')
    .slice(0, 80)
    .trim();
  return cleaned === '' ? '_' : cleaned;
}

/**
 * Folder name for a provider: readable where possible, never able to escape providers/. A name that loses
 * characters on the way (non-ASCII letters, "/", quotes, more than 80 characters) gets a short hash of the whole
 * name, so two names that read alike once made ASCII ("Почта" and "Банк") still get two folders.
 */
export function providerFolderName(name: string): string {
  const legacy = legacyFolderName(name);
  if (legacy === name.normalize('NFC')) return legacy;
  const hash = createHash('sha256').update(name.normalize('NFC'), 'utf8').digest('hex').slice(0, 10);
  return `${legacy.slice(0, 69)}-${hash}`;
}

/**
 * The folders a provider of this name may be in, newest rule first: installs made before the hash suffix keep
 * their provider in the old folder (lookups compute the folder from the name, so they must try both).
 */
function candidateFolders(name: string): string[] {
  return [...new Set([providerFolderName(name), legacyFolderName(name)])];
}

/** The folder that holds this provider's record (its name checked), or undefined when none does. */
async function folderHolding(root: string, name: string): Promise<string | undefined> {
  for (const folder of candidateFolders(name)) {
    const dir = path.join(root, folder);
    const rec = await readRecord(dir);
    if (rec?.name === name) return dir;
  }
  return undefined;
}

async function readRecord(dir: string): Promise<ProviderRecord | undefined> {
  let raw: string;
  try {
    raw = await fs.readFile(path.join(dir, 'provider.json'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let json: unknown;
  let problem: string | undefined;
  try {
    json = JSON.parse(raw);
  } catch {
    problem = raw.trim() ? 'not JSON, perhaps truncated' : 'empty';
  }
  // Another kind's record (an Online CA's) is not this reader's to judge, let alone to move aside.
  const kind = (json as { kind?: unknown } | null)?.kind;
  if (!problem && typeof kind === 'string' && kind !== 'keytalk') return undefined;
  const parsed = providerRecordSchema.safeParse(json);
  if (problem || !parsed.success) {
    // Moved aside (kept for support, listed by `status` and the UI), never shown as "no providers imported".
    const file = path.join(dir, 'provider.json');
    const damage = await reportDamage(file, problem ?? describeZodIssue(parsed.error?.issues[0]));
    throw new Error(
      `${file} is damaged (${damage.problem})${damage.movedTo ? `; it was moved aside to ${damage.movedTo}` : ''}; re-import the provider's RCCD file`,
    );
  }
  return parsed.data;
}

async function recordKind(dir: string): Promise<unknown> {
  try {
    return (JSON.parse(await fs.readFile(path.join(dir, 'provider.json'), 'utf8')) as { kind?: unknown } | null)?.kind;
  } catch {
    return undefined;
  }
}

/**
 * An import a crash interrupted between "old folder aside" and "new folder in" leaves the provider only in
 * `.replaced-<folder>-<token>`: put it back (the import did not happen, the old provider stays). Anything else
 * there is a leftover: a `.replaced-` whose folder is in place, and staging folders nobody has touched for 10 min.
 */
async function recoverInterruptedImports(home: string): Promise<void> {
  const root = providersDir(home);
  const names = await fs.readdir(root).catch(() => [] as string[]);
  // Under the home lock, and only when there is something to put back: a `.replaced-` folder may be another
  // process's import between its two renames, which must not be "recovered" under its feet.
  if (names.some((n) => n.startsWith('.replaced-'))) await withStateLock(homeLayout(home).state, () => recoverIn(root));
  else await recoverIn(root, names);
}

async function recoverIn(root: string, listed?: string[]): Promise<void> {
  const names = listed ?? (await fs.readdir(root).catch(() => [] as string[]));
  for (const n of names) {
    const full = path.join(root, n);
    const m = /^\.replaced-(.+)-[0-9a-f]{12}$/.exec(n);
    if (m) {
      const target = path.join(root, m[1]!);
      if (await fs.stat(target).catch(() => undefined)) await fs.rm(full, { recursive: true, force: true });
      else await fs.rename(full, target).catch(() => undefined);
    } else if (n.startsWith('.staging-')) {
      const st = await fs.stat(full).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > 10 * 60_000) await fs.rm(full, { recursive: true, force: true });
    }
  }
}

export async function loadProvider(home: string, name: string): Promise<ProviderRecord> {
  await recoverInterruptedImports(home);
  const dir = await folderHolding(providersDir(home), name);
  const record = dir ? await readRecord(dir) : undefined;
  if (!record || record.name !== name) throw new ProviderNotFoundError(name);
  return record;
}

export async function listProviders(home: string): Promise<ProviderRecord[]> {
  let names: string[];
  try {
    await recoverInterruptedImports(home);
    names = await fs.readdir(providersDir(home));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: ProviderRecord[] = [];
  for (const n of names.filter((x) => !x.startsWith('.')).sort()) {
    const rec = await readRecord(path.join(providersDir(home), n)).catch(() => undefined);
    if (rec) out.push(rec);
  }
  return out;
}

export async function removeProvider(home: string, name: string): Promise<void> {
  await loadProvider(home, name);
  const dir = await folderHolding(providersDir(home), name);
  if (!dir) throw new ProviderNotFoundError(name);
  // A provider the organisation provisions comes back at the next start anyway: refuse by name instead.
  const { provisionedNames } = await import('../policy/provisioned-names');
  if ((await provisionedNames(home)).includes(name)) {
    const { PolicyLockedError } = await import('../policy/apply-settings');
    throw new PolicyLockedError('providers', `Provider "${name}"`);
  }
  // Rename first so a half-deleted folder is never mistaken for an installed provider.
  const trash = path.join(providersDir(home), `.removed-${randomBytes(6).toString('hex')}`);
  await fs.rename(dir, trash);
  await fs.rm(trash, { recursive: true, force: true });
}

async function writeStaging(stage: string, record: ProviderRecord): Promise<void> {
  await fs.mkdir(stage, { recursive: true, mode: 0o700 });
  const pems: Array<[string, string | undefined]> = [
    ['root.pem', record.cas.root],
    ['primary.pem', record.cas.primary],
    ['signing.pem', record.cas.signing],
    ['server.pem', record.cas.server],
    ['extra-signing.pem', record.cas.extraSigning.length ? record.cas.extraSigning.join('') : undefined],
  ];
  for (const [file, pem] of pems) if (pem) await writeFileAtomic(path.join(stage, file), pem);
  await writeFileAtomic(path.join(stage, 'provider.json'), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Validate an RCCD (zip safety first, then format) and install it. Returns the stored record.
 * A newer ContentVersion replaces the installed provider; an older or equal one is refused unless `force`.
 */
export async function importRccd(home: string, zip: Uint8Array, opts: ImportOptions = {}): Promise<ProviderRecord> {
  // The zip reader and the RCCD parser (yaml, node-forge for the S/MIME bits) load on import only: connecting
  // to an installed provider, which the daemon does all day, needs just provider.json (issue 7's idle memory).
  const [{ readZipSafely }, { parseRccd, RccdLimitError }] = await Promise.all([import('./zip-guard'), import('./rccd-parse')]);
  const files = readZipSafely(zip, opts.limits);
  const parsed = parseRccd(files, { fileName: opts.fileName });
  const record: ProviderRecord = providerRecordSchema.parse({
    ...parsed,
    importedAt: (opts.now?.() ?? new Date()).toISOString(),
  });
  const concerns = unconfirmedTrustTexts(record);
  if (concerns.length && !opts.acceptUnsigned) throw new RccdTrustError(concerns);
  // Every job that connects reads provider.json; keep it small enough to read often (rccd-limits.ts).
  const jsonBytes = Buffer.byteLength(JSON.stringify(record, null, 2));
  if (jsonBytes > RCCD_LIMITS.providerJsonBytes)
    throw new RccdLimitError(
      'providerJsonBytes',
      `The provider description from this RCCD would take ${jsonBytes} bytes; at most ${RCCD_LIMITS.providerJsonBytes} (4 MiB) are stored`,
    );

  const root = providersDir(home);
  await fs.mkdir(root, { recursive: true });
  // Under the home lock: two imports of one provider (the app and a CLI) must not swap folders under each other.
  await withStateLock(homeLayout(home).state, async () => {
    await recoverInterruptedImports(home);
    // An install from before the hash suffix is updated where it is, so nothing else has to move.
    const target =
      (await folderHolding(root, record.name).catch(() => undefined)) ?? path.join(root, providerFolderName(record.name));
    // Online CA providers share providers/ (kind 'onlineca'); readRecord below would see one as damaged and the import
    // would silently replace it, trust roots and all.
    if ((await recordKind(target)) === 'onlineca') {
      throw new Error(
        `An Online CA provider named "${record.name}" already exists; remove it first (keytalk-agent onlineca remove, or Settings → Providers)`,
      );
    }
    const existing = await readRecord(target).catch(() => undefined);
    if (existing && existing.name !== record.name) {
      throw new Error(
        `Provider "${record.name}" would share its folder with installed provider "${existing.name}"; remove that one first`,
      );
    }
    if (existing && !opts.force && record.contentVersion <= existing.contentVersion) {
      throw new RccdVersionError(existing.contentVersion, record.contentVersion, record.name);
    }

    const token = randomBytes(6).toString('hex');
    const stage = path.join(root, `.staging-${token}`);
    // Named after the folder it held, so a start after a crash knows where to put it back.
    const old = path.join(root, `.replaced-${path.basename(target)}-${token}`);
    try {
      await writeStaging(stage, record);
      crashPoint('provider-import');
      let moved = false;
      try {
        await fs.rename(target, old);
        moved = true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      crashPoint('provider-import');
      try {
        await fs.rename(stage, target);
      } catch (err) {
        if (moved) await fs.rename(old, target);
        throw err;
      }
      if (moved) await fs.rm(old, { recursive: true, force: true });
    } finally {
      await fs.rm(stage, { recursive: true, force: true });
    }
  });
  return record;
}
