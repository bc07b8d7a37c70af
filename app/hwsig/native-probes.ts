import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../system/atomic-write';
import type { CommandRunner } from '../system/command-runner';
import type { HwsigPlatform } from './components';
import type { AsyncHwsigProbes } from './hwsig';
import { linuxProbes, primaryMacAddress } from './probes';

/**
 * Probes for Windows and macOS components that only OS tools can read. Every tool runs through the injected
 * CommandRunner (argument arrays, no shell), so the exact commands are asserted in tests on Linux.
 */

export interface NativeProbeOptions {
  runner: CommandRunner;
  /** Agent home: macOS component 599 (a random ID generated once) is kept under it. */
  home: string;
}

async function runText(runner: CommandRunner, command: string, args: string[]): Promise<string | undefined> {
  const r = await runner.run({ command, args, timeoutMs: 15_000 });
  if (r.code !== 0) return undefined;
  const t = r.stdout.replace(/\r/g, '').trim();
  return t === '' ? undefined : t;
}

const powershell = (runner: CommandRunner, script: string): Promise<string | undefined> =>
  runText(runner, 'powershell.exe', ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', script]);

/** Present PnP devices of a class whose instance ID matches a wildcard, instance IDs concatenated in order. */
function pnpInstanceIds(runner: CommandRunner, cls: string, like: string): () => Promise<string | undefined> {
  return async () => {
    const out = await powershell(
      runner,
      `Get-PnpDevice -PresentOnly -Class '${cls}' | Where-Object { $_.InstanceId -like '${like}' } | Sort-Object InstanceId | ForEach-Object { $_.InstanceId }`,
    );
    return out
      ?.split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join('');
  };
}

async function registryValue(runner: CommandRunner, name: string): Promise<string | undefined> {
  const out = await runText(runner, 'reg.exe', ['query', 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', '/v', name]);
  const m = out && new RegExp(`^\\s*${name}\\s+REG_\\w+\\s+(.*)$`, 'm').exec(out);
  return m ? m[1]!.trim() : undefined;
}

export function windowsProbes(runner: CommandRunner): AsyncHwsigProbes {
  return {
    1: () => powershell(runner, '(Get-CimInstance Win32_DiskDrive | Sort-Object Index | Select-Object -First 1).SerialNumber'),
    2: () => primaryMacAddress(),
    3: async () =>
      ((await pnpInstanceIds(runner, 'DiskDrive', 'IDE\\*')()) ?? '') +
        ((await pnpInstanceIds(runner, 'DiskDrive', 'SCSI\\*')()) ?? '') || undefined,
    4: pnpInstanceIds(runner, 'Net', 'PCI\\*'),
    5: pnpInstanceIds(runner, 'HDC', 'PCI\\*'),
    6: pnpInstanceIds(runner, 'USB', 'USB\\ROOT_HUB*'),
    7: pnpInstanceIds(runner, 'Display', '*'),
    8: () => String(os.totalmem()),
    9: pnpInstanceIds(runner, 'Processor', '*'),
    10: pnpInstanceIds(runner, 'System', 'ACPI\\PNP0000*'),
    11: pnpInstanceIds(runner, 'System', 'ACPI\\PNP0100*'),
    12: pnpInstanceIds(runner, 'System', 'ACPI\\PNP0200*'),
    13: pnpInstanceIds(runner, 'System', 'ACPI\\PNP0800*'),
    14: () => registryValue(runner, 'ProductId'),
    15: () => registryValue(runner, 'RegisteredOwner'),
    16: async () => {
      // whoami /user /fo csv /nh → "host\\user","S-1-5-21-…"
      const out = await runText(runner, 'whoami.exe', ['/user', '/fo', 'csv', '/nh']);
      return out ? /"(S-[0-9-]+)"/.exec(out)?.[1] : undefined;
    },
    17: () => powershell(runner, '(Get-CimInstance Win32_BIOS).SerialNumber'),
  };
}

/** macOS 599: a random ID created on first use and kept (0600) so the signature is stable per installation. */
async function generatedId(home: string): Promise<string> {
  const file = path.join(home, 'state', 'hwsig-generated-id');
  try {
    const v = (await fs.readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/.test(v)) return v;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const id = randomBytes(32).toString('hex');
  await writeFileAtomic(file, `${id}\n`, { mode: 0o600 });
  return id;
}

export function macosProbes(runner: CommandRunner, home: string): AsyncHwsigProbes {
  return {
    501: () => '',
    502: () => '',
    503: () => runText(runner, '/usr/sbin/sysctl', ['-n', 'hw.model']),
    504: () => primaryMacAddress(),
    505: () => runText(runner, '/usr/sbin/sysctl', ['-n', 'machdep.cpu.brand_string']),
    506: async () => {
      const out = await runText(runner, '/usr/sbin/ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice']);
      return out ? /"IOPlatformSerialNumber"\s*=\s*"([^"]+)"/.exec(out)?.[1] : undefined;
    },
    599: () => generatedId(home),
  };
}

/** The probes for `platform`: Linux reads files; Windows and macOS run their OS tools through `runner`. */
export function nativeProbes(platform: HwsigPlatform, opts: NativeProbeOptions): AsyncHwsigProbes {
  if (platform === 'win32') return windowsProbes(opts.runner);
  if (platform === 'darwin') return macosProbes(opts.runner, opts.home);
  return linuxProbes();
}
