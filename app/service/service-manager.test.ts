import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { EXIT } from '../cli/exit-codes';
import type { CommandResult, CommandRunner, CommandSpec } from '../system/command-runner';
import { serviceDoctorCheck } from './service-check';
import { installService, serviceStatus, uninstallService } from './service-manager';

/**
 * `keytalk-agent daemon install|uninstall|status` (issue 18, "Run as a service"): the exact files and commands per
 * OS, with the service managers' commands recorded (they cannot run in a test container) and the definitions
 * checked by their own tools where Debian has them (systemd-analyze verify; plutil is macOS-only, so the plist is
 * parsed as XML instead).
 */
let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-service-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

function recorder(answers: Record<string, Partial<CommandResult>> = {}): CommandRunner & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async run(spec: CommandSpec) {
      const line = [spec.command, ...spec.args];
      calls.push(line);
      return { code: 0, stdout: '', stderr: '', ...answers[line.join(' ')] };
    },
  };
}

const program = [process.execPath, '/opt/KeyTalk Agent/bin/keytalk-agent.mjs'];
const home = '/home/alice/.config/keytalk-agent';

describe('systemd (Linux)', () => {
  it('user unit: written to the unit folder, daemon-reload then enable --now, valid for systemd-analyze', async () => {
    const dir = path.join(root, 'user-units');
    const runner = recorder();
    const r = await installService({ program, home, system: false }, { platform: 'linux', runner, dir });
    expect(r.file).toBe(path.join(dir, 'keytalk-agent.service'));
    expect(runner.calls).toEqual([
      ['systemctl', '--user', 'daemon-reload'],
      ['systemctl', '--user', 'enable', '--now', 'keytalk-agent.service'],
    ]);
    const unit = await fs.readFile(r.file, 'utf8');
    expect(unit).toContain(
      `ExecStart=${process.execPath} "/opt/KeyTalk Agent/bin/keytalk-agent.mjs" daemon --home /home/alice/.config/keytalk-agent\n`,
    );
    expect(unit).toContain('Restart=on-failure\n');
    expect(unit).toContain('StandardOutput=journal\n');
    expect(unit).toContain('WantedBy=default.target\n');
    expect(unit).not.toContain('network-online.target');
    verifyWithSystemd(r.file);
  });

  it('system unit (--system): multi-user.target, ordered after the network, no --user; uninstall reverses it', async () => {
    const dir = path.join(root, 'system-units');
    const runner = recorder();
    const { file } = await installService(
      { program, home: '/var/lib/keytalk $HOME 100%', system: true },
      { platform: 'linux', runner, dir },
    );
    const unit = await fs.readFile(file, 'utf8');
    expect(unit).toContain('WantedBy=multi-user.target\n');
    expect(unit).toContain('After=network-online.target\n');
    // $ and % are systemd's own expansions: doubled, so the path stays literal.
    // A system unit runs the machine-scope daemon (app/config/scope.ts: the system home, the machine stores).
    expect(unit).toContain('daemon --system --home "/var/lib/keytalk $$HOME 100%%"\n');
    verifyWithSystemd(file);
    expect(runner.calls).toEqual([
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', '--now', 'keytalk-agent.service'],
    ]);

    const status = await serviceStatus(true, {
      platform: 'linux',
      runner: recorder({
        'systemctl is-active keytalk-agent.service': { code: 3, stdout: 'failed\n' },
        'systemctl is-enabled keytalk-agent.service': { stdout: 'enabled\n' },
      }),
      dir,
    });
    expect(status).toMatchObject({
      manager: 'systemd',
      scope: 'system',
      installed: true,
      enabled: true,
      running: false,
      detail: 'enabled, failed',
    });

    const off = recorder();
    expect(await uninstallService(true, { platform: 'linux', runner: off, dir })).toMatchObject({ removed: true });
    expect(off.calls).toEqual([
      ['systemctl', 'disable', '--now', 'keytalk-agent.service'],
      ['systemctl', 'daemon-reload'],
    ]);
    expect(existsSync(file)).toBe(false);
    const again = recorder();
    expect(await uninstallService(true, { platform: 'linux', runner: again, dir })).toMatchObject({ removed: false });
    expect(again.calls).toEqual([]);
  });

  it('a refused systemctl is an error naming the command and what it said', async () => {
    const runner = recorder({
      'systemctl --user daemon-reload': { code: 1, stderr: 'Failed to connect to bus: No medium found\n' },
    });
    await expect(
      installService({ program, home, system: false }, { platform: 'linux', runner, dir: path.join(root, 'nobus') }),
    ).rejects.toThrow('`systemctl --user daemon-reload` failed (exit 1: Failed to connect to bus: No medium found)');
  });
});

function verifyWithSystemd(file: string) {
  const probe = spawnSync('systemd-analyze', ['--version']);
  if (probe.error) {
    console.warn(`skipped systemd-analyze verify: ${probe.error.message} (install systemd to run it)`);
    return;
  }
  // System mode: a container has no user manager for --user, and the unit syntax is the same.
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', file], { encoding: 'utf8' });
  expect({ code: r.status, stderr: r.stderr.split('\n').filter((l) => l.includes(path.basename(file))) }).toEqual({
    code: 0,
    stderr: [],
  });
}

describe('launchd (macOS)', () => {
  it('LaunchAgent plist in the injected folder, bootout then bootstrap in gui/<uid>, a valid property list', async () => {
    const dir = path.join(root, 'LaunchAgents');
    const runner = recorder();
    const r = await installService(
      { program, home: '/Users/al & co/kt', system: false },
      { platform: 'darwin', runner, dir, uid: 501 },
    );
    expect(r.file).toBe(path.join(dir, 'com.keytalk.agent.plist'));
    expect(runner.calls).toEqual([
      ['launchctl', 'bootout', 'gui/501/com.keytalk.agent'],
      ['launchctl', 'bootstrap', 'gui/501', r.file],
    ]);
    const text = await fs.readFile(r.file, 'utf8');
    if (spawnSync('plutil', ['-help']).error) {
      const doc = new DOMParser().parseFromString(text, 'text/xml');
      const dict = doc.getElementsByTagName('dict')[0]!;
      const keys = [...Array.from(dict.childNodes)].filter((n) => n.nodeName === 'key').map((n) => n.textContent);
      expect(keys).toEqual([
        'Label',
        'ProgramArguments',
        'RunAtLoad',
        'KeepAlive',
        'ThrottleInterval',
        'ProcessType',
        'StandardOutPath',
        'StandardErrorPath',
      ]);
      const args = Array.from(doc.getElementsByTagName('array')[0]!.getElementsByTagName('string')).map((n) => n.textContent);
      expect(args).toEqual([...program, 'daemon', '--home', '/Users/al & co/kt']);
    } else {
      execFileSync('plutil', ['-lint', r.file]);
    }
    const status = await serviceStatus(false, {
      platform: 'darwin',
      runner: recorder({
        'launchctl print gui/501/com.keytalk.agent': { stdout: 'gui/501/com.keytalk.agent = {\n\tstate = running\n' },
      }),
      dir,
      uid: 501,
    });
    expect(status).toMatchObject({ manager: 'launchd', installed: true, running: true, detail: 'running' });
    const off = recorder();
    await uninstallService(false, { platform: 'darwin', runner: off, dir, uid: 501 });
    expect(off.calls).toEqual([['launchctl', 'bootout', 'gui/501/com.keytalk.agent']]);
  });
});

describe('Task Scheduler (Windows)', () => {
  it('a UTF-16 task XML, schtasks /Create /XML then /Run; /Query parsed for status; /End and /Delete to remove', async () => {
    const dir = path.join(root, 'win');
    const runner = recorder();
    const winProgram = ['C:\\Program Files\\nodejs\\node.exe', 'C:\\Program Files\\KeyTalk Agent\\keytalk-agent.mjs'];
    const r = await installService(
      { program: winProgram, home: 'C:\\Users\\alice\\AppData\\Roaming\\KeyTalk Agent', system: false },
      { platform: 'win32', runner, dir, userName: 'ACME\\alice' },
    );
    expect(runner.calls).toEqual([
      ['schtasks', '/Create', '/TN', 'KeyTalk Agent', '/XML', r.file, '/F'],
      ['schtasks', '/Run', '/TN', 'KeyTalk Agent'],
    ]);
    const bytes = await fs.readFile(r.file);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const doc = new DOMParser().parseFromString(bytes.subarray(2).toString('utf16le'), 'text/xml');
    const one = (tag: string) => doc.getElementsByTagName(tag)[0]?.textContent;
    expect(one('Command')).toBe('C:\\Program Files\\nodejs\\node.exe');
    expect(one('Arguments')).toBe(
      '"C:\\Program Files\\KeyTalk Agent\\keytalk-agent.mjs" daemon --home "C:\\Users\\alice\\AppData\\Roaming\\KeyTalk Agent"',
    );
    expect(doc.getElementsByTagName('LogonTrigger')[0]?.getElementsByTagName('UserId')[0]?.textContent).toBe('ACME\\alice');
    expect(one('RunLevel')).toBe('LeastPrivilege');

    const status = await serviceStatus(false, {
      platform: 'win32',
      runner: recorder({
        'schtasks /Query /TN KeyTalk Agent /FO LIST /V': {
          stdout: 'TaskName:  \\KeyTalk Agent\nStatus:    Running\nScheduled Task State: Enabled\n',
        },
      }),
      dir,
    });
    expect(status).toMatchObject({ manager: 'task-scheduler', running: true, enabled: true, detail: 'Running, Enabled' });

    const off = recorder();
    await uninstallService(false, { platform: 'win32', runner: off, dir });
    expect(off.calls).toEqual([
      ['schtasks', '/End', '/TN', 'KeyTalk Agent'],
      ['schtasks', '/Delete', '/TN', 'KeyTalk Agent', '/F'],
    ]);
  });

  it('--system: at boot as SYSTEM (S-1-5-18)', async () => {
    const r = await installService(
      { program, home: 'C:\\kt', system: true },
      { platform: 'win32', runner: recorder(), dir: path.join(root, 'winsys') },
    );
    const text = (await fs.readFile(r.file)).subarray(2).toString('utf16le');
    expect(text).toContain('<BootTrigger>');
    expect(text).toContain('<UserId>S-1-5-18</UserId>');
    expect(text).toContain(' daemon --system --home C:\\kt</Arguments>');
  });
});

describe("doctor's daemon line", () => {
  it('not installed: skipped with why; installed but stopped: a failure naming the unit', async () => {
    const dir = path.join(root, 'doctor-units');
    expect(await serviceDoctorCheck({ platform: 'linux', runner: recorder(), dir })).toMatchObject({
      id: 'daemon',
      status: 'skip',
    });
    await installService({ program, home, system: false }, { platform: 'linux', runner: recorder(), dir });
    const stopped = recorder({ 'systemctl --user is-active keytalk-agent.service': { code: 3, stdout: 'inactive\n' } });
    expect(await serviceDoctorCheck({ platform: 'linux', runner: stopped, dir })).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('systemd user service'),
    });
    expect((await serviceDoctorCheck({ platform: 'linux', runner: recorder(), dir })).status).toBe('pass');
  });
});

describe('keytalk-agent daemon status|bogus (CLI)', () => {
  it('status of a service that is not installed: no command run, the file it would be, exit 0', async () => {
    if (process.platform !== 'linux') return;
    const xdg = path.join(root, 'xdg');
    const run = await runCliCaptured(['daemon', 'status', '--json'], {
      home: path.join(root, 'home'),
      env: { XDG_CONFIG_HOME: xdg },
    });
    expect(run.code, run.stderr).toBe(EXIT.ok);
    expect(JSON.parse(run.stdout)).toMatchObject({
      manager: 'systemd',
      scope: 'user',
      installed: false,
      file: path.join(xdg, 'systemd', 'user', 'keytalk-agent.service'),
    });
  });

  it('an unknown action is refused with the list (exit 2)', async () => {
    const run = await runCliCaptured(['daemon', 'start'], { home: path.join(root, 'home') });
    expect(run.code).toBe(EXIT.badInput);
    expect(run.stderr).toContain('unknown daemon action "start"; actions: install, uninstall, status');
  });
});
