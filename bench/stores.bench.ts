/**
 * Listing 1 000 certificates: the file store and an NSS database, each against `certutil -L` on the same
 * NSS database in the same run (certutil -L prints only nicknames and trust, yet is slow on big databases).
 * The NSS listing reads NSS's SQLite files with one read-only sqlite3 query (labels, bodies, key ids); the
 * "cold" figure includes parsing all 1 000 certificates, the warm one reuses parsed facts (keyed by
 * fingerprint). Not measured here: the fallback without sqlite3 (one `certutil -L -n NICK -a` per nickname), which
 * took ~300 s for 1 000 certificates on the loaded 2-core machine (each certutil call reopens the database).
 * Certificates are made quickly: one key, 1 000 leaves signed with Node; the NSS database is filled with one
 * `certutil -B` batch (plus one pk12util import for a key), the file store with certificate-only adds (listing
 * cost is the same with or without keys: it reads index.json).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildPkcs12 } from '../app/crypto/p12-write';
import { FileStore } from '../app/stores/file-store';
import { clearNssFactsCache, NssStore } from '../app/stores/nss-store';
import { TestPki } from '../test-support/stores/test-pki';
import { processRunner } from '../app/system/command-runner';
import type { BenchResult } from './run';

const COUNT = 1000;
const ROUNDS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-bench-stores-'));
  try {
    const pki = new TestPki('Bench');
    const leaves = Array.from({ length: COUNT }, (_, i) => pki.leaf(`Bench User ${i} é`).pem);

    const db = path.join(dir, 'nssdb');
    mkdirSync(db);
    execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
    // One certutil -B batch adds them all (one process instead of 1 000); the first also gets its key via pk12util.
    const batch: string[] = [];
    for (const [i, pem] of leaves.entries()) {
      if (i === 0) continue;
      const f = path.join(dir, `c${i}.pem`);
      writeFileSync(f, pem);
      batch.push(`-A -n "Bench User ${i} é" -t ",," -a -i ${f}`);
    }
    writeFileSync(path.join(dir, 'batch.txt'), `${batch.join('\n')}\n`);
    execFileSync('certutil', ['-B', '-d', `sql:${db}`, '-i', path.join(dir, 'batch.txt')], { stdio: 'ignore' });
    const p12 = path.join(dir, 'first.p12');
    writeFileSync(
      p12,
      buildPkcs12({
        certPem: leaves[0]!,
        keyPem: pki.leafKey.keyPem,
        chainPem: [],
        password: 'bench',
        friendlyName: 'Bench User 0 é',
      }),
    );
    writeFileSync(path.join(dir, 'pw'), 'bench');
    execFileSync('pk12util', ['-i', p12, '-d', `sql:${db}`, '-w', path.join(dir, 'pw'), '-K', ''], { stdio: 'ignore' });

    const file = new FileStore(path.join(dir, 'certs'));
    const t0 = performance.now();
    for (const [i, pem] of leaves.entries()) await file.add({ certPem: pem, chainPem: [], label: `Bench ${i}` });
    console.log(`  (setup: ${COUNT} file store adds took ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

    const nss = new NssStore({ id: 'nss', name: 'bench', dbDir: db, usedBy: [], runner: processRunner });
    const certutilL = () => execFileSync('certutil', ['-L', '-d', `sql:${db}`], { encoding: 'utf8' });
    // Sanity: everybody sees the same 1 000 certificates.
    const nssCount = (await nss.list()).length;
    const fileCount = (await new FileStore(path.join(dir, 'certs')).list()).length;
    const certutilCount = certutilL()
      .split('\n')
      .filter((l) => /\S\s+[a-zA-Z]*,[a-zA-Z]*,[a-zA-Z]*\s*$/.test(l) && !l.includes('SSL,S/MIME')).length;
    if (nssCount !== COUNT || fileCount !== COUNT || certutilCount !== COUNT) {
      throw new Error(`expected ${COUNT} certificates, got nss ${nssCount}, file ${fileCount}, certutil -L ${certutilCount}`);
    }
    if (nss.lastListPath !== 'sqlite') throw new Error('the NSS listing did not use the sqlite3 path');

    // Interleave the contenders so both see the same machine load.
    const base: number[] = [];
    const fileT: number[] = [];
    const nssWarm: number[] = [];
    const nssCold: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      base.push(await time(certutilL));
      fileT.push(await time(() => new FileStore(path.join(dir, 'certs')).list()));
      nssWarm.push(await time(() => nss.list()));
      clearNssFactsCache();
      nssCold.push(await time(() => nss.list()));
    }
    const b = median(base);
    const row = (name: string, xs: number[]): BenchResult => {
      const v = median(xs);
      return {
        name,
        value: v,
        unit: 'ms',
        baselineName: `certutil -L (${COUNT} certs)`,
        baseline: b,
        ratio: v / b,
        target: '≤ 1.5×',
        met: v / b <= 1.5,
      };
    };
    return [
      row(`file store list (${COUNT} certs)`, fileT),
      row(`NSS store list, warm (${COUNT} certs)`, nssWarm),
      row(`NSS store list, cold: parses all (${COUNT} certs)`, nssCold),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
