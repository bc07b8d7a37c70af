import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run';

function tmpHome() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'kt-daemon-'));
  mkdirSync(path.join(home, 'state'), { recursive: true });
  return home;
}

describe('keytalk-agent daemon', () => {
  it('logs JSON lines, and stops cleanly on SIGTERM leaving a valid schedule', async () => {
    const home = tmpHome();
    const child = spawn(process.execPath, ['--import', 'tsx', 'app/cli/main.ts', 'daemon', '--home', home], {
      cwd: process.cwd(),
      env: { ...process.env, HOME: `${home}.user` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c) => {
        out += c;
        if (out.includes('"daemon-ready"')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`daemon exited early (${code}): ${err}`)));
    });
    await ready;
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; level: string; component: string });
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['daemon-start', 'daemon-ready', 'daemon-stopping', 'daemon-stopped']),
    );
    expect(lines.at(-1)!.msg).toBe('daemon-stopped');
    const schedule = JSON.parse(readFileSync(path.join(home, 'state', 'schedule.json'), 'utf8')) as {
      version: number;
      jobs: { id: string }[];
    };
    expect(schedule.version).toBe(1);
    expect(schedule.jobs.map((j) => j.id)).toContain('sync');
    // Also in the log file for support.
    expect(readFileSync(path.join(home, 'logs', 'daemon.log'), 'utf8')).toContain('"daemon-stopped"');
  }, 60_000);
});

describe('keytalk-agent status --json', () => {
  it('reports every scheduled certificate with its renewal time, reason and state from the saved schedule', async () => {
    const home = tmpHome();
    const dueAt = Date.UTC(2026, 6, 1);
    writeFileSync(
      path.join(home, 'state', 'schedule.json'),
      JSON.stringify({
        version: 1,
        jobs: [
          {
            id: 'renewal:AB',
            kind: 'renewal',
            dueAt,
            failures: 2,
            lastError: 'network: ECONNREFUSED',
            reason: 'renew from 2026-07-01T00:00:00Z: the server margin…',
            data: {
              sha256Fingerprint: 'AB',
              provider: 'Demo',
              service: 'PASSWD',
              notBefore: '2026-01-01T00:00:00Z',
              notAfter: '2026-07-02T00:00:00Z',
              stores: ['file'],
            },
          },
          {
            id: 'keep-alive:Demo:PASSWD:DemoUser',
            kind: 'keep-alive',
            dueAt,
            failures: 0,
            lastSuccessAt: dueAt - 3_600_000,
            data: { provider: 'Demo', templateName: 'PASSWD', user: 'DemoUser', computerName: 'pc' },
          },
        ],
      }),
    );
    writeFileSync(
      path.join(home, 'state', 'messages.json'),
      JSON.stringify([{ id: '1', provider: 'Demo', text: 'hi', utc: '2026-01-01T00:00:00Z', read: false }]),
    );
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (c) => (text += c));
    const code = await runCli(['status', '--json', '--home', home], {
      stdout,
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      env: {},
    });
    expect(code).toBe(0);
    const s = JSON.parse(text) as {
      certificates: { renewAt: string; reason: string; state: string; lastError: string }[];
      keepAlive: { lastSuccessAt: string }[];
      unreadMessages: number;
    };
    expect(s.certificates).toEqual([
      expect.objectContaining({
        renewAt: '2026-07-01T00:00:00.000Z',
        state: 'retrying',
        lastError: 'network: ECONNREFUSED',
        reason: expect.stringContaining('server margin'),
      }),
    ]);
    expect(s.keepAlive[0]!.lastSuccessAt).toBe('2026-06-30T23:00:00.000Z');
    expect(s.unreadMessages).toBe(1);
  });
});
