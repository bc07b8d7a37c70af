import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../../simulators/keytalk/temp-simulator';
import { runCliCaptured } from '../../../test-support/cli/run-cli-captured';
import { EXIT } from '../exit-codes';

/**
 * Issue 18, stores from the CLI: `stores` lists this OS's stores, `stores enable|disable ID` change the setting
 * (unknown ids refused with the list), and `enroll --store nss` writes into a real NSS database (certutil reads it
 * back) although nss is not enabled. HOME is a temp folder, so ~/.pki/nssdb is the test's own.
 */
let kt: TempSimulator;
let home: string;
let userHome: string;
const run = (args: string[], input?: string) => runCliCaptured(args, { home, input, env: { HOME: userHome } });

beforeAll(async () => {
  kt = await startTempSimulator('kt-stores-', {
    providers: [
      {
        name: 'Acme',
        services: [{ name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} }],
        users: [{ id: 'alice', password: 's3cret' }],
      },
    ],
  });
  home = path.join(kt.dir, 'home');
  userHome = path.join(kt.dir, 'user');
  await fs.mkdir(userHome);
  expect((await run(['rccd', 'import', kt.sim.rccds.Acme!])).code).toBe(EXIT.ok);
});
afterAll(async () => {
  await kt?.stop();
});

describe.runIf(process.platform === 'linux')('keytalk-agent stores (issue 18)', () => {
  it('lists the stores of this OS with where, who reads them, enabled and in use', async () => {
    const r = await run(['stores', '--json']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const rows = (
      JSON.parse(r.stdout) as { stores: { id: string; location: string; usedBy: string[]; enabled: boolean; inUse: boolean }[] }
    ).stores;
    const byId = new Map(rows.map((x) => [x.id, x]));
    expect([...byId.keys()]).toEqual(expect.arrayContaining(['file', 'nss', 'linux-system-ca']));
    expect(byId.get('nss')).toMatchObject({
      location: expect.stringContaining(path.join(userHome, '.pki', 'nssdb')),
      inUse: false,
    });
    expect(byId.get('nss')!.usedBy).toContain('Chromium');
    expect(byId.get('file')).toMatchObject({ location: expect.stringContaining(home), enabled: true });
    // No stores setting: the per-OS defaults (defaultStoreIds), on Linux the file store and the shared NSS database.
    expect(byId.get('nss')!.enabled).toBe(true);
    const text = await run(['stores']);
    expect(text.stdout).toMatch(/^ID\s+ENABLED\s+IN USE\s+WHAT\s+WHERE\s+READ BY/);
  });

  it('enroll without --store (and without --service: Acme has one) lands in file + NSS under the user home', async () => {
    const r = await run(['enroll', '--provider', 'Acme', '--user', 'alice', '--password-stdin'], 's3cret\n');
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const nssdb = path.join(userHome, '.pki', 'nssdb');
    const certs = (
      JSON.parse((await run(['certs', '--json'])).stdout) as { certificates: { stores: string[]; service: string }[] }
    ).certificates;
    // The user's certificate in both (the chain's CA certificates go into NSS too).
    expect(certs.filter((c) => c.service === 'PASSWD')).toEqual([expect.objectContaining({ stores: ['file', 'nss'] })]);
    expect(execFileSync('certutil', ['-L', '-d', `sql:${nssdb}`], { encoding: 'utf8' })).toMatch(/u,u,u/);
    // It says where: the file store's files by path, the NSS database by folder.
    expect(r.stdout).toMatch(new RegExp(`file\\s+certificate ${home}/certs/[0-9A-F]{64}/cert\\.pem`));
    expect(r.stdout).toMatch(/key \S+\/key\.pem/);
    expect(r.stdout).toMatch(new RegExp(`nss\\s+.*${nssdb}`));
  });

  it('enroll --store nss writes into a real NSS database, enabled or not; stores then says in use', async () => {
    await run(['stores', 'disable', 'nss']);
    const r = await run(
      ['enroll', '--provider', 'Acme', '--service', 'PASSWD', '--user', 'alice', '--password-stdin', '--store', 'nss', '--json'],
      's3cret\n',
    );
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ status: 'issued', stores: ['nss'], extras: [] });
    expect(out.written).toEqual([{ store: 'nss', location: expect.stringContaining(path.join(userHome, '.pki', 'nssdb')) }]);
    const listing = execFileSync('certutil', ['-L', '-d', `sql:${path.join(userHome, '.pki', 'nssdb')}`], { encoding: 'utf8' });
    expect(listing).toMatch(/u,u,u/);
    const keys = execFileSync('certutil', ['-K', '-d', `sql:${path.join(userHome, '.pki', 'nssdb')}`], { encoding: 'utf8' });
    expect(keys).toMatch(/rsa|ec/);
    const rows = (
      JSON.parse((await run(['stores', '--json'])).stdout) as { stores: { id: string; inUse: boolean; enabled: boolean }[] }
    ).stores;
    expect(rows.find((x) => x.id === 'nss')).toMatchObject({ inUse: true, enabled: false });
  });

  it('stores enable|disable change settings.json; unknown ids are refused with the list', async () => {
    const on = await run(['stores', 'enable', 'nss', '--json']);
    expect(on.code, on.stderr).toBe(EXIT.ok);
    expect(JSON.parse(on.stdout).enabled).toContain('nss');
    const settings = JSON.parse(await fs.readFile(path.join(home, 'state', 'settings.json'), 'utf8'));
    expect(settings.stores).toContain('nss');
    const off = await run(['stores', 'disable', 'nss']);
    expect(off.stdout).toMatch(/nss disabled/);
    const bad = await run(['stores', 'enable', 'nope']);
    expect(bad.code).toBe(EXIT.badInput);
    expect(bad.stderr).toMatch(/^keytalk-agent: unknown store "nope" on linux; stores here: .*nss.*file/);
    const badEnroll = await run(['enroll', '--provider', 'Acme', '--service', 'PASSWD', '--store', 'windows-user']);
    expect(badEnroll.code).toBe(EXIT.badInput);
    expect(badEnroll.stderr).toMatch(/unknown store "windows-user" on linux; stores here: /);
  });
});
