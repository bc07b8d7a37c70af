import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordingRunner, type CommandSpec } from '../system/command-runner';
import { computeHwsig, computeHwsigAsync, macosProbes, windowsProbes } from './index';

const home = mkdtempSync(path.join(os.tmpdir(), 'kt-hwsig-native-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const ok = (stdout: string) => ({ code: 0, stdout, stderr: '' });
const line = (s: CommandSpec): string => [s.command, ...s.args].join(' ');

describe('windowsProbes (commands asserted; the tools cannot run here)', () => {
  const runner = new RecordingRunner((spec) => {
    const cmd = line(spec);
    if (cmd.includes('Win32_DiskDrive')) return ok('WD-WX41A\r\n');
    if (cmd.includes("-Class 'Net'")) return ok('PCI\\VEN_8086&DEV_15B8\\3&11583659&0&FE\r\nPCI\\VEN_10EC&DEV_8168\\01\r\n');
    if (spec.command === 'reg.exe' && spec.args.includes('ProductId')) {
      return ok(
        '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\r\n    ProductId    REG_SZ    00330-80000-00000-AA123\r\n',
      );
    }
    if (spec.command === 'reg.exe')
      return { code: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.' };
    if (spec.command === 'whoami.exe') return ok('"desk\\alice","S-1-5-21-1004336348-1177238915-682003330-512"\r\n');
    if (cmd.includes('Win32_BIOS')) return ok('PF1ABCDE\r\n');
    return ok('');
  });
  const probes = windowsProbes(runner);

  it('runs the expected tools with argument arrays and parses their output', async () => {
    expect(await probes[1]!()).toBe('WD-WX41A');
    expect(await probes[4]!()).toBe('PCI\\VEN_8086&DEV_15B8\\3&11583659&0&FEPCI\\VEN_10EC&DEV_8168\\01');
    expect(await probes[14]!()).toBe('00330-80000-00000-AA123');
    expect(await probes[15]!()).toBeUndefined();
    expect(await probes[16]!()).toBe('S-1-5-21-1004336348-1177238915-682003330-512');
    expect(await probes[17]!()).toBe('PF1ABCDE');
    expect(await probes[8]!()).toBe(String(os.totalmem()));
    expect(runner.calls.map(line)).toEqual([
      'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command (Get-CimInstance Win32_DiskDrive | Sort-Object Index | Select-Object -First 1).SerialNumber',
      "powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command Get-PnpDevice -PresentOnly -Class 'Net' | Where-Object { $_.InstanceId -like 'PCI\\*' } | Sort-Object InstanceId | ForEach-Object { $_.InstanceId }",
      'reg.exe query HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion /v ProductId',
      'reg.exe query HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion /v RegisteredOwner',
      'whoami.exe /user /fo csv /nh',
      'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command (Get-CimInstance Win32_BIOS).SerialNumber',
    ]);
  });

  it('computes the same signature as the synchronous path, with fallbacks for failed probes', async () => {
    const sig = await computeHwsigAsync('1,14,15,17,1', probes, 'win32');
    expect(sig).toBe(
      computeHwsig(
        '1,14,15,17,1',
        { 1: () => 'WD-WX41A', 14: () => '00330-80000-00000-AA123', 15: () => undefined, 17: () => 'PF1ABCDE' },
        'win32',
      ),
    );
    const before = runner.calls.length;
    await computeHwsigAsync('1,1,1', probes, 'win32');
    expect(runner.calls.length - before).toBe(1);
  });
});

describe('macosProbes', () => {
  const runner = new RecordingRunner((spec) => {
    if (spec.args.includes('hw.model')) return ok('MacBookPro18,3\n');
    if (spec.args.includes('machdep.cpu.brand_string')) return ok('Apple M1 Pro\n');
    if (spec.command === '/usr/sbin/ioreg')
      return ok('+-o J316sAP  <class IOPlatformExpertDevice>\n    "IOPlatformSerialNumber" = "C02XG0FDH7JY"\n');
    return { code: 1, stdout: '', stderr: 'unexpected' };
  });
  const probes = macosProbes(runner, home);

  it('reads model, CPU and serial with sysctl/ioreg and keeps a generated ID', async () => {
    expect(await probes[503]!()).toBe('MacBookPro18,3');
    expect(await probes[505]!()).toBe('Apple M1 Pro');
    expect(await probes[506]!()).toBe('C02XG0FDH7JY');
    expect(runner.calls.map(line)).toEqual([
      '/usr/sbin/sysctl -n hw.model',
      '/usr/sbin/sysctl -n machdep.cpu.brand_string',
      '/usr/sbin/ioreg -rd1 -c IOPlatformExpertDevice',
    ]);
    const id = await probes[599]!();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(await probes[599]!()).toBe(id);
    const file = path.join(home, 'state', 'hwsig-generated-id');
    expect(readFileSync(file, 'utf8').trim()).toBe(id);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await computeHwsigAsync('501,502,599', probes, 'darwin')).toBe(computeHwsig('599', { 599: () => id }, 'darwin'));
  });
});
