/**
 * Throw-away certificates and PKCS#12 files made by the real tools (openssl, NSS pk12util), for tests that need
 * what those tools produce rather than what the agent writes. Each call works in its own temp folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function inTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-fixture-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A self-signed certificate (PEM) from `openssl req -x509` with the given subject in openssl's "/A=x/B=y" form
 * (certificate order). Without `keyPem` a fresh P-256 key is made and thrown away.
 */
export function selfSignedCertPem(subject: string, o: { keyPem?: string; days?: number } = {}): string {
  return inTempDir((dir) => {
    const key = path.join(dir, 'key.pem');
    const keyArgs = o.keyPem
      ? (writeFileSync(key, o.keyPem), ['-key', key])
      : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key];
    return execFileSync('openssl', ['req', '-x509', ...keyArgs, '-subj', subject, '-days', String(o.days ?? 1)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
  });
}

export interface P12Parts {
  certPem: string;
  keyPem: string;
  /** Written to the file in this order (tests of chain ordering pass them shuffled). */
  chainPem: string[];
  friendlyName: string;
  password: string;
}

/** `openssl pkcs12 -export`; `extra` picks the format: ['-legacy'], the 3DES flags, ['-iter', '200000'], or [] (AES). */
export function opensslPkcs12(p: P12Parts, extra: string[] = []): Buffer {
  return inTempDir((dir) => {
    const file = (name: string, data: string) => (writeFileSync(path.join(dir, name), data), path.join(dir, name));
    const chain = p.chainPem.length ? ['-certfile', file('chain.pem', p.chainPem.join(''))] : [];
    return execFileSync(
      'openssl',
      [
        'pkcs12',
        '-export',
        '-in',
        file('cert.pem', p.certPem),
        '-inkey',
        file('key.pem', p.keyPem),
        ...chain,
        '-name',
        p.friendlyName,
        '-passout',
        `pass:${p.password}`,
        ...extra,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  });
}

/**
 * A PKCS#12 as NSS exports one (pk12util: AES-256-CBC for key and certificates, SHA-256 MAC, PBKDF2): `source`
 * (a P12 under `password`) is imported into a fresh database and exported again by `nickname` — the friendlyName
 * it had in `source`.
 */
export function nssExportPkcs12(source: Buffer, o: { password: string; nickname: string }): Buffer {
  return inTempDir((dir) => {
    const db = `sql:${path.join(dir, 'db')}`;
    mkdirSync(path.join(dir, 'db'));
    execFileSync('certutil', ['-N', '-d', db, '--empty-password']);
    const pw = path.join(dir, 'pw');
    writeFileSync(pw, o.password);
    writeFileSync(path.join(dir, 'in.p12'), source);
    const quiet = { stdio: 'ignore' as const };
    execFileSync('pk12util', ['-i', path.join(dir, 'in.p12'), '-d', db, '-w', pw, '-K', ''], quiet);
    const out = path.join(dir, 'out.p12');
    execFileSync(
      'pk12util',
      ['-o', out, '-n', o.nickname, '-d', db, '-w', pw, '-K', '', '-c', 'AES-256-CBC', '-C', 'AES-256-CBC', '-M', 'SHA-256'],
      quiet,
    );
    return readFileSync(out);
  });
}
