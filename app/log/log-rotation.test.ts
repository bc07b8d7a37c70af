import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, fileSink } from './logger';
import { settingsLogLevel } from './settings-level';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'kt-logs-'));

describe('log files (issue 22: daemon.log grew without rotation)', () => {
  it('rotates by size: NAME → NAME.1 → NAME.2 …, never more than `keep` old files, none past the limit', () => {
    const dir = tmp();
    const log = createLogger(fileSink(dir, 'daemon.log', { maxBytes: 4096, keep: 2 }), 'info');
    for (let i = 0; i < 500; i++) log.info('tick', { i, pad: 'x'.repeat(40) });
    expect(readdirSync(dir).sort()).toEqual(['daemon.log', 'daemon.log.1', 'daemon.log.2']);
    for (const f of readdirSync(dir)) expect(statSync(path.join(dir, f)).size).toBeLessThanOrEqual(4096);
    // The newest line is in daemon.log, the lines before it in .1, nothing lost between them.
    const last = (f: string) => JSON.parse(readFileSync(path.join(dir, f), 'utf8').trim().split('\n').at(-1)!) as { i: number };
    const first = (f: string) => JSON.parse(readFileSync(path.join(dir, f), 'utf8').split('\n')[0]!) as { i: number };
    expect(last('daemon.log').i).toBe(499);
    expect(first('daemon.log').i).toBe(last('daemon.log.1').i + 1);
    expect(first('daemon.log.1').i).toBe(last('daemon.log.2').i + 1);
  });

  it('rotates by age: a file older than maxAgeMs is set aside at the next line', () => {
    const dir = tmp();
    const file = path.join(dir, 'daemon.log');
    writeFileSync(file, '{"old":true}\n');
    const longAgo = new Date(Date.now() - 10 * 86_400_000);
    utimesSync(file, longAgo, longAgo);
    createLogger(fileSink(dir, 'daemon.log', { maxAgeMs: 7 * 86_400_000 }), 'info').info('fresh');
    expect(readFileSync(`${file}.1`, 'utf8')).toBe('{"old":true}\n');
    expect(readFileSync(file, 'utf8')).toContain('"fresh"');
  });

  it('obeys the Settings log level, and a change to it without a restart', async () => {
    const home = tmp();
    mkdirSync(path.join(home, 'state'));
    const settings = path.join(home, 'state', 'settings.json');
    writeFileSync(settings, JSON.stringify({ logLevel: 'debug' }));
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l) }, settingsLogLevel(home));
    log.debug('visible');
    writeFileSync(settings, JSON.stringify({ logLevel: 'error' }));
    const later = new Date(Date.now() + 5000);
    utimesSync(settings, later, later);
    await new Promise((r) => setTimeout(r, 1100));
    log.warn('hidden');
    log.error('shown');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['visible', 'shown']);
  });
});
