import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processRunner } from '../system/command-runner';
import { certFactsFromPem } from './cert-summary';
import { parseNssDbRows, readNssDb, Sqlite3MissingError } from './nss-sqlite';
import { TestPki } from '../../test-support/stores/test-pki';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'nss-sqlite-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sha256 = (der: Buffer) => createHash('sha256').update(der).digest('hex').toUpperCase();

describe('readNssDb (one read-only sqlite3 query over a real certutil-made database)', () => {
  it('reads labels (UTF-8), bodies and which certificate has a private key; no label reads as undefined', async () => {
    const pki = new TestPki('Sqlite Reader');
    const keyed = pki.bundle('Jürgen 日本');
    const nameless = pki.leaf('Nameless');
    const db = path.join(tmp, 'db');
    mkdirSync(db);
    execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
    const { buildPkcs12 } = await import('../crypto/p12-write');
    const p12 = path.join(tmp, 'k.p12');
    // a chain certificate in a PKCS#12 without friendlyName: NSS stores it without a label
    writeFileSync(
      p12,
      buildPkcs12({
        certPem: keyed.certPem,
        keyPem: keyed.keyPem!,
        chainPem: [nameless.pem],
        password: 'x',
        friendlyName: 'Keyed Jürgen 日本',
      }),
    );
    writeFileSync(path.join(tmp, 'pw'), 'x');
    execFileSync('pk12util', ['-i', p12, '-d', `sql:${db}`, '-w', path.join(tmp, 'pw'), '-K', '']);
    execFileSync('certutil', ['-A', '-d', `sql:${db}`, '-n', 'My CA: ü', '-t', ',,', '-a'], { input: pki.intermediate.pem });

    const withKeys = await readNssDb({ runner: processRunner, dbDir: db, keys: true });
    const byFp = new Map(withKeys.certs.map((c) => [sha256(c.der), c]));
    const fpOf = (pem: string) => certFactsFromPem(pem).sha256Fingerprint;
    const leaf = byFp.get(fpOf(keyed.certPem))!;
    expect(leaf.nickname).toBe('Keyed Jürgen 日本');
    expect(leaf.keyId && withKeys.keyIds.has(leaf.keyId)).toBe(true);
    expect(byFp.get(fpOf(nameless.pem))!.nickname).toBeUndefined();
    const ca = byFp.get(fpOf(pki.intermediate.pem))!;
    expect(ca.nickname).toBe('My CA: ü');
    expect(ca.keyId === undefined || !withKeys.keyIds.has(ca.keyId)).toBe(true);
    expect(withKeys.certs).toHaveLength(3);

    const certsOnly = await readNssDb({ runner: processRunner, dbDir: db });
    expect(certsOnly.certs.map((c) => sha256(c.der)).sort()).toEqual([...byFp.keys()].sort());
    expect(certsOnly.keyIds.size).toBe(0);
  });

  it('tells a missing sqlite3 apart from a file it cannot read', async () => {
    await expect(readNssDb({ runner: processRunner, dbDir: tmp, sqlite3: '/nonexistent/sqlite3' })).rejects.toBeInstanceOf(
      Sqlite3MissingError,
    );
    const junk = path.join(tmp, 'junk');
    mkdirSync(junk);
    writeFileSync(path.join(junk, 'cert9.db'), Buffer.alloc(4096, 0x42));
    const err = await readNssDb({ runner: processRunner, dbDir: junk }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(Sqlite3MissingError);
    expect((err as Error).message).toMatch(/sqlite3 could not read .*junk/);
  });

  it('parses the rows: the A5005A marker means "absent", K rows are key ids', () => {
    expect(parseNssDbRows('C|3003|A5005A|A5005A\nK|||0A0B\nC|3001|6869|0A0B\n\n')).toEqual({
      certs: [
        { nickname: undefined, der: Buffer.from('3003', 'hex'), keyId: undefined },
        { nickname: 'hi', der: Buffer.from('3001', 'hex'), keyId: '0A0B' },
      ],
      keyIds: new Set(['0A0B']),
    });
  });
});
