import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestPki } from '../../test-support/stores/test-pki';
import { processRunner } from '../system/command-runner';
import { sweepDeadTempDirs } from './nss-certutil';
import { readNssDb } from './nss-sqlite';
import { NssStore } from './nss-store';

// Issue 22: a kill during an NSS import must not leave the private key and its password behind, and a hot journal
// left by a killed writer must not make the database unreadable.
const pki = new TestPki('NSS Crash Test');
const root = mkdtempSync(path.join(os.tmpdir(), 'nss-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('NSS after a kill', () => {
  it('a kill just before pk12util leaves the key in a temp folder; the next NSS use removes it', async () => {
    const dbDir = path.join(root, 'db1');
    const bundleFile = path.join(root, 'bundle.json');
    writeFileSync(bundleFile, JSON.stringify(pki.bundle('NSS Victim')));
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'test-support/crash/nss-add.ts', dbDir, bundleFile], {
      env: { ...process.env, KEYTALK_AGENT_CRASH_AT: 'nss-import' },
      encoding: 'utf8',
    });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const left = readdirSync(os.tmpdir()).filter((n) => n.startsWith(`keytalk-nss-${child.pid}-`));
    expect(left).toHaveLength(1);
    const leftDir = path.join(os.tmpdir(), left[0]!);
    expect(readdirSync(leftDir).sort()).toEqual(expect.arrayContaining(['p12.pw', 'token.pw']));
    // The next NSS change in any process sweeps it first (the owner is dead).
    const store = new NssStore({ id: 'nss', name: 't', dbDir, usedBy: [], runner: processRunner, create: true });
    await store.add(pki.bundle('After Crash'));
    expect(existsSync(leftDir)).toBe(false);
    // A live process's folder is left alone.
    const live = path.join(os.tmpdir(), `keytalk-nss-${process.ppid}-live`);
    mkdirSync(live, { recursive: true });
    await sweepDeadTempDirs();
    expect(existsSync(live)).toBe(true);
    rmSync(live, { recursive: true, force: true });
  }, 30_000);

  it('a hot key4.db-journal from a killed writer is rolled back and the database read, not declared damaged', async () => {
    const dbDir = path.join(root, 'db2');
    const store = new NssStore({ id: 'nss', name: 't', dbDir, usedBy: [], runner: processRunner, create: true });
    await store.add(pki.bundle('Journal Owner'));
    // A writer killed mid-transaction (SIGKILL, no rollback): python's sqlite3 with a rollback journal.
    const script = `
import sqlite3, os, signal
c = sqlite3.connect(${JSON.stringify(path.join(dbDir, 'key4.db'))}, isolation_level=None)
c.execute('PRAGMA journal_mode=DELETE')
c.execute('PRAGMA cache_size=1')
c.execute('BEGIN EXCLUSIVE')
c.execute("CREATE TABLE junk(x)")
c.executemany("INSERT INTO junk VALUES (?)", [(os.urandom(2000),) for _ in range(200)])
os.kill(os.getpid(), signal.SIGKILL)
`;
    const py = spawnSync('python3', ['-c', script]);
    expect(py.signal).toBe('SIGKILL');
    expect(existsSync(path.join(dbDir, 'key4.db-journal'))).toBe(true);
    const ro = spawnSync('sqlite3', ['-readonly', path.join(dbDir, 'key4.db'), 'SELECT count(*) FROM nssPrivate;'], {
      encoding: 'utf8',
    });
    expect(ro.status).not.toBe(0); // what made read-only listings fail before
    const contents = await readNssDb({ runner: processRunner, dbDir, keys: true });
    expect(contents.keyIds.size).toBe(1);
    expect(contents.certs.length).toBeGreaterThan(0);
    expect(
      execFileSync('sqlite3', [path.join(dbDir, 'key4.db'), "SELECT count(*) FROM sqlite_master WHERE name='junk';"], {
        encoding: 'utf8',
      }).trim(),
    ).toBe('0');
  }, 30_000);
});
