import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { processRunner, type CommandRunner } from '../system/command-runner';

/**
 * `caller-hw-description` (RCDP 2.7.x authentication): "Caller HW description which should be unique for the given
 * device. For uniqueness e.g. BIOS serial number ... can be used." The OS name alone ("Linux 6.1 x64") is the same on
 * every machine of a fleet, so the description carries a per-device identifier. It is hashed: a raw BIOS serial or
 * machine GUID is an asset-tracking identifier that has no business in the server's logs or ours, and a hash is just
 * as unique and just as stable.
 *
 * Sources, first one that answers wins:
 *  - Linux: /etc/machine-id (systemd), /var/lib/dbus/machine-id, DMI product UUID (/sys/class/dmi/id/product_uuid,
 *    root-readable only on most distributions);
 *  - Windows: MachineGuid (`reg query HKLM\SOFTWARE\Microsoft\Cryptography /v MachineGuid`), else the BIOS serial
 *    (`powershell (Get-CimInstance Win32_BIOS).SerialNumber`);
 *  - macOS: IOPlatformUUID (`ioreg -rd1 -c IOPlatformExpertDevice`).
 * Windows and macOS go through the CommandRunner so tests assert the exact commands.
 */

export interface DeviceIdOptions {
  platform?: NodeJS.Platform;
  runner?: CommandRunner;
  /** Linux files to read, in order (tests point these at temp files). */
  linuxFiles?: string[];
  readFile?: (file: string) => Promise<string>;
}

export const LINUX_DEVICE_ID_FILES = ['/etc/machine-id', '/var/lib/dbus/machine-id', '/sys/class/dmi/id/product_uuid'];

/** Values firmware writes when it has no serial: they are shared by many machines, so they are not an identity. */
const PLACEHOLDERS =
  /^(|0+|f+|none|default string|to be filled by o\.e\.m\.|system serial number|not specified|0{8}-0{4}-0{4}-0{4}-0{12})$/i;

const usable = (v: string | undefined): string | undefined => {
  const t = v?.replace(/\r/g, '').trim();
  return t && !PLACEHOLDERS.test(t) ? t : undefined;
};

async function runOut(runner: CommandRunner, command: string, args: string[]): Promise<string | undefined> {
  try {
    const r = await runner.run({ command, args, timeoutMs: 15_000 });
    return r.code === 0 ? r.stdout : undefined;
  } catch {
    return undefined;
  }
}

/** The raw device identifier (never logged; see deviceFingerprint), or undefined when this machine has none. */
export async function rawDeviceId(o: DeviceIdOptions = {}): Promise<string | undefined> {
  const platform = o.platform ?? process.platform;
  const runner = o.runner ?? processRunner;
  if (platform === 'win32') {
    const reg = await runOut(runner, 'reg', ['query', 'HKLM\\SOFTWARE\\Microsoft\\Cryptography', '/v', 'MachineGuid']);
    const guid = usable(/MachineGuid\s+REG_SZ\s+(\S+)/i.exec(reg ?? '')?.[1]);
    if (guid) return `machineguid:${guid.toLowerCase()}`;
    const bios = usable(
      await runOut(runner, 'powershell.exe', [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        '(Get-CimInstance -ClassName Win32_BIOS).SerialNumber',
      ]),
    );
    return bios ? `bios:${bios}` : undefined;
  }
  if (platform === 'darwin') {
    const out = await runOut(runner, 'ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice']);
    const uuid = usable(/"IOPlatformUUID"\s*=\s*"([^"]+)"/.exec(out ?? '')?.[1]);
    return uuid ? `ioplatformuuid:${uuid.toLowerCase()}` : undefined;
  }
  const read = o.readFile ?? ((f: string) => fs.readFile(f, 'utf8'));
  for (const file of o.linuxFiles ?? LINUX_DEVICE_ID_FILES) {
    const v = usable(await read(file).catch(() => undefined));
    if (v) return `${file}:${v.toLowerCase()}`;
  }
  return undefined;
}

/** 16 hex digits of SHA-256 over the raw identifier: unique per device, reveals nothing about it. */
export function deviceFingerprint(raw: string): string {
  return createHash('sha256').update(`keytalk-agent device ${raw}`).digest('hex').slice(0, 16);
}

/** e.g. "Linux 6.1.0 x64, build-07, device 3f9c0a1b2c3d4e5f" (no device part on a machine without an identifier). */
export async function callerHwDescription(computerName: string, o: DeviceIdOptions = {}): Promise<string> {
  const base = `${os.type()} ${os.release()} ${os.arch()}, ${computerName}`;
  const raw = await rawDeviceId(o);
  return raw ? `${base}, device ${deviceFingerprint(raw)}` : base;
}

let cached: Promise<string | undefined> | undefined;

/** This machine's description; the device identifier is read once per process (it cannot change under us). */
export async function thisMachineHwDescription(computerName: string): Promise<string> {
  cached ??= rawDeviceId().catch(() => undefined);
  const raw = await cached;
  const base = `${os.type()} ${os.release()} ${os.arch()}, ${computerName}`;
  return raw ? `${base}, device ${deviceFingerprint(raw)}` : base;
}
