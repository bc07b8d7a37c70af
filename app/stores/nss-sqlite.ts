/**
 * The read-only look into an NSS database through the sqlite3 tool: one query over cert9.db (and key4.db when key
 * ids are wanted) returns every certificate's label and DER — about 10× faster than `certutil -L` plus one
 * `certutil -L -n NICK -a` per nickname. Used by the NSS store (listing) and the scanner (NSS source); both fall back
 * to certutil when this throws (sqlite3 missing, a damaged/locked file, another format).
 *
 * cert9.db/key4.db are NSS's own SQLite files: table nssPublic (certificates: a0 = CKA_CLASS, a11 = CKA_VALUE,
 * a3 = CKA_LABEL, a102 = CKA_ID) and nssPrivate (keys, CKA_ID in a102). NSS stores an absent attribute as A5 00 5A.
 */
import path from 'node:path';
import { pathExists } from '../system/path-exists';
import type { CommandResult, CommandRunner } from '../system/command-runner';

/** NSS's marker for an absent attribute (a certificate without label or id). */
const NSS_NULL = 'A5005A';

/**
 * How long sqlite3 waits for a lock NSS (Firefox, Thunderbird, certutil) holds on the file before giving up; the
 * callers then take the certutil path, which reports a lock that stays as "locked by another program". NSS holds
 * its locks for milliseconds, so a second is plenty and a locked database is not waited on twice for long.
 */
const BUSY_TIMEOUT_MS = 1000;

export interface NssDbCert {
  /** The label (nickname) as stored, UTF-8; undefined when the certificate has none (certutil shows "(NULL)"). */
  nickname: string | undefined;
  der: Buffer;
  /** CKA_ID (upper-case hex): the same value as its private key's id, when it has one. */
  keyId?: string;
}

export interface NssDbContents {
  certs: NssDbCert[];
  /** Ids of the private keys in key4.db (only filled when `keys` was asked). */
  keyIds: Set<string>;
}

/** sqlite3 could not be started (not installed): the caller should not try this path again. */
export class Sqlite3MissingError extends Error {}

export interface ReadNssDbOptions {
  runner: CommandRunner;
  /** The database folder (the one holding cert9.db). */
  dbDir: string;
  /** Also read key4.db for the ids of the private keys (the store needs them; the scanner does not). */
  keys?: boolean;
  sqlite3?: string;
}

/** One read-only query; throws when sqlite3 is missing (Sqlite3MissingError) or cannot read the files. */
export async function readNssDb(o: ReadNssDbOptions): Promise<NssDbContents> {
  const q = (f: string) => `'${f.replace(/'/g, "''")}'`;
  const certs = `SELECT 'C', hex(a11), hex(a3), hex(a102) FROM nssPublic WHERE a0 = X'00000001'`;
  const sql = o.keys
    ? `ATTACH DATABASE ${q(path.join(o.dbDir, 'key4.db'))} AS k; ${certs} ` +
      `UNION ALL SELECT 'K', '', '', hex(a102) FROM k.nssPrivate WHERE a0 = X'00000003';`
    : `${certs};`;
  let r = await query(o, sql);
  if (r.code !== 0 && (await replayHotJournals(o))) r = await query(o, sql);
  if (r.code !== 0) throw new Error(`sqlite3 could not read ${o.dbDir}: ${r.stderr.trim()}`);
  return parseNssDbRows(r.stdout);
}

async function query(o: ReadNssDbOptions, sql: string): Promise<CommandResult> {
  try {
    return await o.runner.run({
      command: o.sqlite3 ?? 'sqlite3',
      args: [
        '-readonly',
        '-batch',
        '-noheader',
        '-separator',
        '|',
        '-cmd',
        `.timeout ${BUSY_TIMEOUT_MS}`,
        path.join(o.dbDir, 'cert9.db'),
        sql,
      ],
    });
  } catch (err) {
    throw new Sqlite3MissingError((err as Error).message);
  }
}

/**
 * A process killed mid-transaction (pk12util, certutil, a browser) leaves a hot `-journal`; a read-only open
 * cannot roll it back and fails ("attempt to write a readonly database"). Opening the file read-write once rolls
 * the journal back, as the next NSS writer would, so the database is read rather than declared damaged.
 * Returns whether there was a journal to replay.
 */
async function replayHotJournals(o: ReadNssDbOptions): Promise<boolean> {
  let replayed = false;
  for (const db of ['cert9.db', 'key4.db']) {
    const file = path.join(o.dbDir, db);
    if (!(await pathExists(`${file}-journal`))) continue;
    await o.runner
      .run({
        command: o.sqlite3 ?? 'sqlite3',
        args: ['-batch', '-cmd', `.timeout ${BUSY_TIMEOUT_MS}`, file, 'PRAGMA schema_version;'],
      })
      .catch(() => undefined);
    replayed = true;
  }
  return replayed;
}

/** Parse the query's rows: `C|derHex|labelHex|idHex` per certificate, `K|||idHex` per private key. */
export function parseNssDbRows(stdout: string): NssDbContents {
  const certs: NssDbCert[] = [];
  const keyIds = new Set<string>();
  for (const line of stdout.split('\n')) {
    const [kind, derHex, labelHex, idHex] = line.split('|');
    if (kind === 'K' && idHex) keyIds.add(idHex);
    if (kind === 'C' && derHex) {
      const nickname = !labelHex || labelHex === NSS_NULL ? undefined : Buffer.from(labelHex, 'hex').toString('utf8');
      certs.push({ nickname, der: Buffer.from(derHex, 'hex'), keyId: idHex && idHex !== NSS_NULL ? idHex : undefined });
    }
  }
  return { certs, keyIds };
}
