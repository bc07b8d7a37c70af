import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { readSettings } from '../agent/settings';
import { homeLayout } from '../config/home';
import { enrollments } from '../engine/state';
import type { DoctorReport } from '../ipc/doctor-contract';
import { currentPolicy } from '../policy/load-policy';
import { listProviders } from '../rccd/provider-store';
import { SUPPORTED_VERSIONS } from '../rcdp/versions';
import type { CertificateStore } from '../stores/store';
import { redactLog, redactValue } from './redact';

export interface BundleOptions {
  home: string;
  version: string;
  /** The configured stores, described (never listed with their keys). */
  stores: () => Promise<CertificateStore[]> | CertificateStore[];
  /** The connectivity check to include (app/doctor); absent: the bundle says it was not run. */
  doctor?: () => Promise<DoctorReport>;
  /** How many of the newest log files go in (default 10), each cut to its last `maxLogBytes` (default 2 MiB). */
  maxLogFiles?: number;
  maxLogBytes?: number;
  now?: () => number;
}

export interface SupportBundle {
  fileName: string;
  data: Uint8Array;
  entries: string[];
}

/** One part of the bundle; a part that fails says why in its own file instead of failing the whole bundle. */
async function part(name: string, make: () => Promise<unknown>): Promise<[string, string]> {
  try {
    return [name, `${JSON.stringify(redactValue(await make()), null, 2)}\n`];
  } catch (err) {
    return [name, `${JSON.stringify({ error: `could not be collected: ${(err as Error).message}` }, null, 2)}\n`];
  }
}

/** The newest log files (cli.log, agent.log, daemon.log and their rotations), each redacted line by line. */
async function logFiles(dir: string, max: number, maxBytes: number): Promise<[string, string][]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const stats = await Promise.all(names.map(async (n) => ({ n, st: await fs.stat(path.join(dir, n)).catch(() => undefined) })));
  const newest = stats
    .filter((x) => x.st?.isFile())
    .sort((a, b) => b.st!.mtimeMs - a.st!.mtimeMs)
    .slice(0, max);
  return Promise.all(
    newest.map(async ({ n, st }) => {
      const fh = await fs.open(path.join(dir, n), 'r');
      try {
        const start = Math.max(0, st!.size - maxBytes);
        const buf = Buffer.alloc(st!.size - start);
        await fh.read(buf, 0, buf.length, start);
        // A cut file starts mid-line: drop that partial line rather than redact half a JSON object as text.
        let text = buf.toString('utf8');
        if (start > 0) text = text.slice(text.indexOf('\n') + 1);
        return [`logs/${n}`, redactLog(text)] as [string, string];
      } finally {
        await fh.close();
      }
    }),
  );
}

/**
 * The helpdesk's support bundle (`keytalk-agent diagnostics`, `diagnostics:bundle`, the tray's "Create support
 * bundle"): a zip of what explains a problem — versions, OS, providers, stores, settings, schedule, scanner report,
 * policy, the connectivity check and the newest logs — built from descriptions and redacted copies only. The
 * secrets folder, the certificate store and key files, RCCD archives and MSAL caches are never read.
 */
export async function buildSupportBundle(o: BundleOptions): Promise<SupportBundle> {
  const now = new Date((o.now ?? Date.now)());
  const parts = await Promise.all([
    part('versions.json', async () => ({
      agent: o.version,
      rcdpVersions: [...SUPPORTED_VERSIONS],
      runtime: process.versions,
      os: { platform: process.platform, arch: process.arch, release: os.release(), version: os.version?.() },
      createdAt: now.toISOString(),
      home: o.home,
    })),
    part('providers.json', async () =>
      // The CAs are public, but a helpdesk needs their subjects, not 10 KB of PEM each; the logo is noise.
      (await listProviders(o.home)).map(({ cas, logoDataUrl: _logo, ...p }) => ({
        ...p,
        cas: Object.fromEntries(Object.entries(cas).map(([k, v]) => [k, Array.isArray(v) ? v.length : v ? 'present' : 'absent'])),
      })),
    ),
    part('stores.json', async () => Promise.all((await o.stores()).map((s) => s.describe()))),
    part('settings.json', () => readSettings(o.home)),
    part('status.json', async () => ({
      schedule: await (await import('../scheduler/daemon')).readStatus(o.home),
      enrollments: (await enrollments.list(o.home)).map((r) => ({ ...r })),
    })),
    part('scanner.json', async () => (await import('../scanner/overview')).scannerOverview(o.home)),
    part('policy.json', () => currentPolicy()),
    part('doctor.json', async () => (o.doctor ? o.doctor() : { skipped: 'the connectivity check was not run' })),
  ]);
  const logs = await logFiles(homeLayout(o.home).logs, o.maxLogFiles ?? 10, o.maxLogBytes ?? 2 << 20);
  const zip = new JSZip();
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const entries: string[] = [];
  for (const [name, text] of [...parts, ...logs]) {
    zip.file(name, text, { date: now });
    entries.push(name);
  }
  const data = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
  return { fileName: `keytalk-agent-support-${stamp}.zip`, data, entries };
}
