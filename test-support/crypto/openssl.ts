import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Run the real openssl CLI (tests only): files named in `files` are written to a temp dir first. */
export function openssl(args: string[], files: Record<string, string | Uint8Array> = {}, input?: string | Buffer): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-openssl-'));
  try {
    for (const [name, data] of Object.entries(files)) writeFileSync(path.join(dir, name), data);
    return execFileSync('openssl', args, { cwd: dir, input, stdio: ['pipe', 'pipe', 'pipe'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Same as openssl() but returns the files the command produced too. */
export function opensslWithOutputs(
  args: string[],
  files: Record<string, string | Uint8Array>,
  outputs: string[],
): { stdout: Buffer; outputs: Record<string, Buffer> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-openssl-'));
  try {
    for (const [name, data] of Object.entries(files)) writeFileSync(path.join(dir, name), data);
    const stdout = execFileSync('openssl', args, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Record<string, Buffer> = {};
    for (const name of outputs) out[name] = execFileSync('cat', [path.join(dir, name)]);
    return { stdout, outputs: out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Like openssl() but returns stdout + stderr as text and does not throw (for commands that report on stderr). */
export function opensslOutput(args: string[], files: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-openssl-'));
  try {
    for (const [name, data] of Object.entries(files)) writeFileSync(path.join(dir, name), data);
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    return `${r.stdout}${r.stderr}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
