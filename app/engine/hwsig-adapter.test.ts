import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeHwsigAsync, linuxProbes } from '../hwsig/index';
import type { CommandRunner, CommandSpec } from '../system/command-runner';
import { createHwsigFunction } from './hwsig-adapter';

const sha = (s: string) => `CS-${createHash('sha256').update(s, 'utf8').digest('hex')}`;

describe('createHwsigFunction (native probes per platform)', () => {
  it('on Windows runs reg.exe and whoami.exe through the runner, in formula order', async () => {
    const calls: CommandSpec[] = [];
    const runner: CommandRunner = {
      run: async (spec) => {
        calls.push(spec);
        if (spec.command === 'reg.exe')
          return {
            code: 0,
            stderr: '',
            stdout:
              '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\r\n    ProductId    REG_SZ    00330-80000-00000-AA123\r\n',
          };
        if (spec.command === 'whoami.exe') return { code: 0, stderr: '', stdout: '"host\\user","S-1-5-21-11-22-33-1001"\r\n' };
        return { code: 1, stderr: 'unexpected', stdout: '' };
      },
    };
    const hwsig = createHwsigFunction(undefined, 'win32', { home: '/nonexistent', runner });
    expect(await hwsig('16,14')).toBe(sha('S-1-5-21-11-22-33-1001' + '00330-80000-00000-AA123'));
    expect(calls.map((c) => [c.command, ...c.args])).toEqual([
      ['whoami.exe', '/user', '/fo', 'csv', '/nh'],
      ['reg.exe', 'query', 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', '/v', 'ProductId'],
    ]);
  });

  it('on macOS runs sysctl through the runner', async () => {
    const calls: string[] = [];
    const runner: CommandRunner = {
      run: async (spec) => {
        calls.push([spec.command, ...spec.args].join(' '));
        return spec.args.includes('hw.model')
          ? { code: 0, stdout: 'MacBookPro18,3\n', stderr: '' }
          : { code: 1, stdout: '', stderr: '' };
      },
    };
    expect(await createHwsigFunction(undefined, 'darwin', { home: '/nonexistent', runner })('503')).toBe(sha('MacBookPro18,3'));
    expect(calls).toEqual(['/usr/sbin/sysctl -n hw.model']);
  });

  it('on Linux reads this machine like the Linux probes do', async () => {
    const formula = '601,602,603,604,605,606,607,608';
    expect(await createHwsigFunction(undefined, 'linux', { home: '/nonexistent' })(formula)).toBe(
      await computeHwsigAsync(formula, linuxProbes(), 'linux'),
    );
  });

  it('injected probes win over the machine; neither given is a clear error', async () => {
    expect(await createHwsigFunction({ 601: () => 'disk' }, 'linux')('601')).toBe(sha('disk'));
    await expect(createHwsigFunction(undefined, 'linux')('601')).rejects.toThrow(/agent home/);
  });
});
