import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeHwsig, hwsigComponentValues, linuxProbes, parseHwsigFormula, type HwsigProbes } from './index';

// Expected digests were computed outside this code with `printf '%s' VALUE | sha256sum`.
const SHA = {
  zeros12: 'f7b11509f4d675c3c44f0dd37ca830bb02e8cfa58f04c46283c4bfcbdce1ff45', // "000000000000"
  hddMac: 'f05e31876410247e464ec86a2390a1e3896925b5912ba768c0ab3d7fe21eefb4', // "WD-123" + "001122AABBCC"
  macHdd: '7e0f6ce767eca859c3de7daac7ba29bfeb2f82f4e5474d2b88b947ce6f80ec1c', // "001122AABBCC" + "WD-123"
  hddHdd: '6c0cc7c77e8992512a9378323b0e900a7b0fd500fb4e07631ad192fcc10fede7', // "WD-123WD-123"
  hdd: '85a62aea4c88df691f2833cf1137d9d06a1b8f9049531a360025cd62ec2f2403', // "WD-123"
  zerosHdd: 'f2b1b064543ec59d4f7cb0712b59b70919b2672972c1f6de10b3a3f99b8c91d8', // "000000000000" + "WD-123"
  hddFallback: '2e6e15a38c6fe8b624fca13be00a737947a8096fd5620795696b5b63cd7feea4', // "00000000000000"
  win: 'df9049cbd3d165deb51c4f63a992786a787df30381fb920e9c774d49370a862f', // "SN-1" + "MAC-2" + "BIOS-3"
  mac: '5497b325e8696bf9002e02bb44dee10189ad9486c9db356046890215fa6cf512', // "C02XUDID" + "uuid-599"
};

const linux: HwsigProbes = { 601: () => 'WD-123', 602: () => '001122AABBCC' };

describe('computeHwsig vectors', () => {
  it('hashes the concatenated component values, lower-case hex with the CS- prefix', () => {
    expect(computeHwsig('601,602', linux, 'linux')).toBe(`CS-${SHA.hddMac}`);
    expect(computeHwsig('601,602', linux, 'linux', { upperCase: true })).toBe(`CS-${SHA.hddMac.toUpperCase()}`);
  });

  it('keeps order and repeats significant', () => {
    expect(computeHwsig('602,601', linux, 'linux')).toBe(`CS-${SHA.macHdd}`);
    expect(computeHwsig('601,601', linux, 'linux')).toBe(`CS-${SHA.hddHdd}`);
  });

  it('counts 0 and unknown in-range IDs as twelve zeros', () => {
    expect(computeHwsig('0', linux, 'linux')).toBe(`CS-${SHA.zeros12}`);
    expect(computeHwsig('650', linux, 'linux')).toBe(`CS-${SHA.zeros12}`);
    expect(computeHwsig('609, 601', linux, 'linux')).toBe(`CS-${SHA.zerosHdd}`);
    expect(computeHwsig('0,601', linux, 'linux')).toBe(`CS-${SHA.zerosHdd}`);
  });

  it("drops invalid entries and other platforms' IDs; an empty result means the predefined value", () => {
    expect(computeHwsig('foo, 1, -3, 601 , 501,', linux, 'linux')).toBe(`CS-${SHA.hdd}`);
    expect(parseHwsigFormula('foo, 1, -3, 601 , 501,', 'linux')).toEqual({ ids: [601], clean: false });
    expect(computeHwsig('', linux, 'linux')).toBe(`CS-${SHA.zeros12}`);
    expect(computeHwsig('abc', linux, 'linux')).toBe(`CS-${SHA.zeros12}`);
    expect(parseHwsigFormula('601,602', 'linux')).toEqual({ ids: [601, 602], clean: true });
  });

  it('uses the component fallback when a probe fails or returns nothing, and probes each component once', () => {
    let calls = 0;
    const failing: HwsigProbes = {
      601: () => {
        calls++;
        throw new Error('no disk');
      },
    };
    expect(computeHwsig('601', failing, 'linux')).toBe(`CS-${SHA.hddFallback}`);
    expect(computeHwsig('601', { 601: () => '  ' }, 'linux')).toBe(`CS-${SHA.hddFallback}`);
    calls = 0;
    hwsigComponentValues('601,601,601', failing, 'linux');
    expect(calls).toBe(1);
    expect(hwsigComponentValues('602', {}, 'linux')).toEqual([{ id: 602, value: '000000000000' }]);
  });

  it('supports the Windows (1–17) and macOS (501–506, 599) tables', () => {
    expect(computeHwsig('1,2,17', { 1: () => 'SN-1', 2: () => 'MAC-2', 17: () => 'BIOS-3' }, 'win32')).toBe(`CS-${SHA.win}`);
    expect(computeHwsig('1, 601', { 1: () => 'WD-123' }, 'win32')).toBe(`CS-${SHA.hdd}`);
    expect(computeHwsig('18', {}, 'win32')).toBe(`CS-${SHA.zeros12}`);
    expect(computeHwsig('506,599', { 506: () => 'C02XUDID', 599: () => 'uuid-599' }, 'darwin')).toBe(`CS-${SHA.mac}`);
    expect(computeHwsig('601,507', { 601: () => 'x' }, 'darwin')).toBe(`CS-${SHA.zeros12}`);
  });
});

describe('linuxProbes', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kt-hwsig-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const put = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };

  it('reads each component from a Linux filesystem tree', () => {
    put('sys/block/loop0/device/serial', 'LOOP');
    put('sys/block/sda/device/serial', '  WD-WCC4E1234567 \n');
    put('sys/block/nvme0n1/device/serial', 'NVME-1');
    mkdirSync(path.join(root, 'sys/devices/virtual/net/docker0'), { recursive: true });
    put('sys/devices/virtual/net/docker0/address', '02:42:ac:11:00:02\n');
    symlinkSync(
      path.join(root, 'sys/devices/virtual/net/docker0'),
      path.join(mkdirAndReturn(root, 'sys/class/net'), 'a-docker0'),
    );
    put('sys/class/net/lo/address', '00:00:00:00:00:00\n');
    put('sys/class/net/eth0/address', 'aa:bb:cc:dd:ee:0f\n');
    put(
      'proc/cpuinfo',
      'processor\t: 0\nmodel name\t: Intel(R) Core(TM) i7\nprocessor\t: 1\nmodel name\t: Intel(R) Core(TM) i7\n',
    );
    put('etc/os-release', 'NAME="Debian GNU/Linux"\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n');
    put('sys/class/dmi/id/product_serial', 'To be filled by O.E.M.\n');
    put('sys/class/dmi/id/board_serial', 'BOARD-42\n');
    put('etc/ssh/ssh_host_rsa_key.pub', 'ssh-rsa AAAArsa root@h\n');
    put('etc/ssh/ssh_host_ed25519_key.pub', 'ssh-ed25519 AAAAed root@h\n');
    put('etc/ssh/ssh_host_rsa_key', 'PRIVATE - never read');
    const p = linuxProbes({ root, userName: () => 'alice', machine: () => 'x86_64' });
    expect(p[601]!()).toBe('WD-WCC4E1234567');
    expect(p[602]!()).toBe('AABBCCDDEE0F');
    expect(p[603]!()).toBe('x86_64');
    expect(p[604]!()).toBe('Intel(R) Core(TM) i7');
    expect(p[605]!()).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(p[606]!()).toBe('alice');
    expect(p[607]!()).toBe('BOARD-42');
    expect(p[608]!()).toBe('ssh-ed25519:AAAAedssh-rsa:AAAArsa');
  });

  it('falls back to the machine ID when DMI is unreadable, and to defaults when nothing is there', () => {
    const bare = mkdtempSync(path.join(os.tmpdir(), 'kt-hwsig-bare-'));
    try {
      writeFileSync(path.join(bare, 'placeholder'), '');
      const p = linuxProbes({ root: bare, userName: () => 'bob', machine: () => 'aarch64' });
      expect(p[607]!()).toBeUndefined();
      mkdirSync(path.join(bare, 'etc'));
      writeFileSync(path.join(bare, 'etc/machine-id'), '3d1219c7c4c5404aaa1f6d2a48adfda4\n');
      expect(p[607]!()).toBe('3d1219c7c4c5404aaa1f6d2a48adfda4');
      expect(hwsigComponentValues('601,602,604,608', p, 'linux').map((c) => c.value)).toEqual([
        '00000000000000',
        '000000000000',
        '00000',
        '000000',
      ]);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('reads this machine: the values agree with what the shell sees', () => {
    const p = linuxProbes();
    expect(p[603]!()).toBe(execFileSync('uname', ['-m']).toString().trim());
    expect(p[606]!()).toBe(os.userInfo().username);
    const model = execFileSync('sh', ['-c', "grep -m1 -E '^(model name|Model|Hardware)' /proc/cpuinfo | cut -d: -f2- || true"])
      .toString()
      .trim();
    if (model) expect(p[604]!()).toBe(model);
    const sig = computeHwsig('601,602,603,604,605,606,607,608', p, 'linux');
    expect(sig).toMatch(/^CS-[0-9a-f]{64}$/);
    expect(computeHwsig('601,602,603,604,605,606,607,608', linuxProbes(), 'linux')).toBe(sig);
  });
});

function mkdirAndReturn(root: string, dir: string): string {
  const full = path.join(root, dir);
  mkdirSync(full, { recursive: true });
  return full;
}
