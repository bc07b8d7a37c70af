import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HwsigPlatform } from './components';
import type { HwsigProbes } from './hwsig';

export interface LinuxProbeOptions {
  /** Filesystem root to read from (tests point this at a fake tree). */
  root?: string;
  userName?: () => string;
  machine?: () => string;
}

function read(root: string, file: string): string | undefined {
  try {
    const v = readFileSync(path.join(root, file), 'utf8').replace(/\0/g, '').trim();
    return v === '' ? undefined : v;
  } catch {
    return undefined;
  }
}

function list(root: string, dir: string): string[] {
  try {
    return readdirSync(path.join(root, dir)).sort();
  } catch {
    return [];
  }
}

function cpuinfoField(root: string, ...names: string[]): string | undefined {
  const text = read(root, 'proc/cpuinfo');
  if (!text) return undefined;
  for (const name of names) {
    const m = new RegExp(`^${name}\\s*:\\s*(.+)$`, 'im').exec(text);
    if (m?.[1]?.trim()) return m[1].trim();
  }
  return undefined;
}

// Placeholder serials that DMI reports on many boards; they identify nothing.
const JUNK_SERIAL = /^(to be filled by o\.e\.m\.|default string|system serial number|not specified|none|0+|123456789|n\/a)$/i;

/** Primary disk: the first of the usual whole-disk names that exposes a serial in sysfs (or in /dev/disk/by-id). */
function hddSerial(root: string): string | undefined {
  const disks = list(root, 'sys/block').filter((d) => /^(sd[a-z]+|hd[a-z]+|vd[a-z]+|xvd[a-z]+|nvme\d+n\d+|mmcblk\d+)$/.test(d));
  const order = (d: string): number => ['sd', 'hd', 'nv', 'vd', 'xv', 'mm'].indexOf(d.slice(0, 2));
  disks.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  for (const d of disks) {
    const s = read(root, `sys/block/${d}/device/serial`) ?? read(root, `sys/block/${d}/serial`);
    if (s && !JUNK_SERIAL.test(s)) return s;
  }
  for (const link of list(root, 'dev/disk/by-id')) {
    if (!/^(ata|nvme|scsi)-/.test(link) || link.includes('-part')) continue;
    try {
      const target = path.basename(readlinkSync(path.join(root, 'dev/disk/by-id', link)));
      if (disks[0] && target === disks[0]) return link.replace(/^(ata|nvme|scsi)-/, '');
    } catch {
      // not a link
    }
  }
  return undefined;
}

/** First network interface (by name) that is neither loopback nor virtual, as upper-case hex without separators. */
function nicMac(root: string): string | undefined {
  for (const nic of list(root, 'sys/class/net')) {
    if (nic === 'lo') continue;
    let real = true;
    try {
      real = !readlinkSync(path.join(root, 'sys/class/net', nic)).includes('/virtual/');
    } catch {
      // a plain directory (test trees): treat as real
    }
    const mac = read(root, `sys/class/net/${nic}/address`);
    if (real && mac && mac !== '00:00:00:00:00:00') return mac.replace(/[:-]/g, '').toUpperCase();
  }
  return undefined;
}

function osProductId(root: string): string | undefined {
  const text = read(root, 'etc/os-release') ?? read(root, 'usr/lib/os-release');
  if (!text) return undefined;
  const field = (k: string): string | undefined =>
    new RegExp(`^${k}=(.*)$`, 'm')
      .exec(text)?.[1]
      ?.replace(/^["']|["']$/g, '')
      .trim();
  return field('PRETTY_NAME') ?? ([field('NAME'), field('VERSION_ID')].filter(Boolean).join(' ') || undefined);
}

function biosSerial(root: string): string | undefined {
  for (const f of ['product_serial', 'board_serial', 'chassis_serial']) {
    const v = read(root, `sys/class/dmi/id/${f}`);
    if (v && !JUNK_SERIAL.test(v)) return v;
  }
  const cpuSerial = cpuinfoField(root, 'Serial');
  if (cpuSerial && !JUNK_SERIAL.test(cpuSerial)) return cpuSerial;
  // DMI serials are root-only on most distributions; the machine ID is stable and readable by every user.
  return read(root, 'etc/machine-id');
}

function sshPubKeys(root: string): string | undefined {
  const keys = list(root, 'etc/ssh')
    .filter((f) => /^ssh_host_.*_key\.pub$/.test(f))
    .map((f) => read(root, `etc/ssh/${f}`)?.split(/\s+/))
    .filter((p): p is string[] => !!p && p.length >= 2)
    .map((p) => `${p[0]}:${p[1]}`);
  return keys.length ? keys.join('') : undefined;
}

/** Probes that read the Linux machine (sysfs, procfs, /etc); each returns undefined when the fact is unavailable. */
export function linuxProbes(opts: LinuxProbeOptions = {}): HwsigProbes {
  const root = opts.root ?? '/';
  return {
    601: () => hddSerial(root),
    602: () => nicMac(root),
    603: () => (opts.machine ?? (() => os.machine()))(),
    604: () => cpuinfoField(root, 'model name', 'Model', 'Hardware', 'cpu model', 'Processor'),
    605: () => osProductId(root),
    606: () => (opts.userName ?? (() => os.userInfo().username))(),
    607: () => biosSerial(root),
    608: () => sshPubKeys(root),
  };
}

/** MAC of the first (by name) non-internal interface Node reports, upper-case hex without separators. */
export function primaryMacAddress(): string | undefined {
  const all = Object.entries(os.networkInterfaces()).sort(([a], [b]) => a.localeCompare(b));
  for (const [, addrs] of all) {
    const a = addrs?.find((x) => !x.internal && x.mac && x.mac !== '00:00:00:00:00:00');
    if (a) return a.mac.replace(/:/g, '').toUpperCase();
  }
  return undefined;
}

/**
 * The probes for the running platform. Linux reads the machine; on Windows and macOS only what Node exposes
 * portably is probed (MAC, memory, CPU model); the rest falls back to the components' defaults until native
 * probes (registry, SetupAPI, IOKit) are added there.
 */
export function platformProbes(platform: HwsigPlatform = process.platform as HwsigPlatform): HwsigProbes {
  if (platform === 'linux') return linuxProbes();
  if (platform === 'win32') return { 2: primaryMacAddress, 8: () => String(os.totalmem()) };
  return { 504: primaryMacAddress, 505: () => os.cpus()[0]?.model };
}
