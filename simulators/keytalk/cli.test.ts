import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { request } from './test-client';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('npm run sim prints exactly one JSON line with url, rccds, outbox and control, then serves', async () => {
  // Its own process group: npx → tsx → node, and SIGTERM must reach the simulator itself, not only npx.
  const child = spawn('npx', ['tsx', path.join(import.meta.dirname, 'main.ts'), '--state', dir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.on('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  const info = JSON.parse(line) as {
    url: string;
    rccds: Record<string, string>;
    outbox: string;
    control: string;
    caFile: string;
  };
  expect(info.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  expect(existsSync(info.rccds.Demo!)).toBe(true);
  expect(existsSync(info.outbox)).toBe(true);
  const state = await request(`${info.control}/state`);
  expect(state.json<{ urls: { https: string } }>().urls.https).toBe(info.url);
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
  expect(out.trim().split('\n')).toHaveLength(1);
});
