import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error plain ESM script without types
import { demoUsers, formatDemoUsers } from './demo-users.mjs';

const root = path.resolve(__dirname, '..');
const fixture = path.join(root, 'simulators/keytalk/fixtures/demo.yaml');

describe('npm run demo prints who can sign in', () => {
  it('every user of the demo fixture with its password, and what it shows', () => {
    const raw = parse(readFileSync(fixture, 'utf8')) as { providers: { users?: { id: string; password: string }[] }[] };
    const want = raw.providers.flatMap((p) => p.users ?? []);
    const lines = formatDemoUsers(demoUsers(fixture)) as string[];
    expect(want.length).toBeGreaterThan(3);
    for (const u of want) expect(lines.some((l) => l.includes(` ${u.id} `) && l.includes(` ${u.password}`))).toBe(true);
    expect(lines.find((l) => l.includes('DemoUser'))).toMatch(/OTP 135790.*PIN 1234.*Self-Service/);
    expect(lines.find((l) => l.includes('LockedUser'))).toMatch(/locked/);
  });

  it('passes the simulator’s Self-Service address to the UI host, so Invite works', () => {
    const demo = readFileSync(path.join(root, 'scripts/demo.mjs'), 'utf8');
    expect(demo).toMatch(/'--ssapi-url', sim\.ssapiUrl/);
    // …and the browser host takes that option (browser-host/index.ts).
    expect(readFileSync(path.join(root, 'browser-host/index.ts'), 'utf8')).toMatch(/'ssapi-url': \{ type: 'string' \}/);
    // Self-Service checks the user by an S/MIME certificate of a service that offers it: the demo enrolls that one.
    expect(demo).toMatch(/'enroll', '--provider', 'Demo', '--service', 'SMIME', '--user', 'DemoUser'/);
    const raw = parse(readFileSync(fixture, 'utf8')) as {
      providers: { name: string; services: { name: string; cert?: { smimeEnrollment?: { available?: boolean } } }[] }[];
    };
    const smime = raw.providers.find((p) => p.name === 'Demo')?.services.find((s) => s.name === 'SMIME');
    expect(smime?.cert?.smimeEnrollment?.available).toBe(true);
  });

  it("runs on the demo's own user home, never the visitor's browsers' NSS databases", () => {
    const demo = readFileSync(path.join(root, 'scripts/demo.mjs'), 'utf8');
    expect(demo).toMatch(/const env = \{ \.\.\.process\.env, HOME: userHome \}/);
    expect(demo.match(/\benv[,}]/g)?.length).toBeGreaterThanOrEqual(2);
  });
});
