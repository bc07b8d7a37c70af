import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureInput } from '../../simulators/keytalk/index';
import { runEnrollment } from './enroll';
import type { EngineDeps } from './enroll-deps';
import { serviceUriCommand } from './open-service-uri';
import { decodePsScript } from '../stores/windows-store';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';

/**
 * auth-requirements `service-uris` and the cert reply's `execute-sync` (RCDP 2.7.2: "whether the caller should invoke
 * the service URIs synchronously (true) or asynchronously (false). Defaults to false."): after issuance the engine
 * opens each URI through the injected opener — awaited one by one when synchronous, started without waiting when not.
 */
const uris = [{ uri: 'https://portal.keytalk.test/start' }, { uri: 'https://vpn.keytalk.test' }];
const fixture: FixtureInput = {
  providers: [
    {
      name: 'Demo',
      services: [
        { name: 'SYNC', credentials: ['USERID', 'PASSWD'], serviceUris: uris, cert: { executeSync: true } },
        { name: 'ASYNC', credentials: ['USERID', 'PASSWD'], serviceUris: uris, cert: {} },
        { name: 'NOURIS', credentials: ['USERID', 'PASSWD'], cert: { executeSync: true } },
      ],
      users: [{ id: 'alice', password: 'secret' }],
    },
  ],
};

let h: SimHarness;
beforeAll(async () => {
  h = await startSimHarness(fixture);
});
afterAll(async () => h?.stop());

/** An opener that takes 100 ms per URI and records when each started and finished, next to the flow's end. */
function recorder() {
  const events: string[] = [];
  const openServiceUri: EngineDeps['openServiceUri'] = async (uri, wait) => {
    events.push(`open ${uri} wait=${wait}`);
    await new Promise((r) => setTimeout(r, 100));
    events.push(`done ${uri}`);
  };
  return { events, openServiceUri };
}

async function enroll(service: string, deps: Partial<EngineDeps>, unattended = false) {
  const t = scriptedTestFrontEnd([() => creds({ USERID: 'alice', PASSWD: 'secret' })]);
  return runEnrollment(
    { provider: 'Demo', service, unattended, credentials: unattended ? { USERID: 'alice', PASSWD: 'secret' } : undefined },
    t.fe,
    h.deps(deps),
  );
}

describe('service URIs after issuance', () => {
  it('execute-sync: true — every URI is opened and finished, in order, before the enrollment reports issued', async () => {
    const r = recorder();
    const outcome = await enroll('SYNC', { openServiceUri: r.openServiceUri });
    r.events.push('issued');
    expect(outcome.status).toBe('issued');
    expect(r.events).toEqual([
      'open https://portal.keytalk.test/start wait=true',
      'done https://portal.keytalk.test/start',
      'open https://vpn.keytalk.test wait=true',
      'done https://vpn.keytalk.test',
      'issued',
    ]);
  });

  it('execute-sync absent (false) — the URIs are started and the enrollment does not wait for them', async () => {
    const r = recorder();
    const outcome = await enroll('ASYNC', { openServiceUri: r.openServiceUri });
    r.events.push('issued');
    expect(outcome.status).toBe('issued');
    expect(r.events.slice(0, 3)).toEqual([
      'open https://portal.keytalk.test/start wait=false',
      'open https://vpn.keytalk.test wait=false',
      'issued',
    ]);
  });

  it('nothing is opened when the setting is off, for unattended renewals, or when the service has no URIs', async () => {
    const r = recorder();
    expect((await enroll('SYNC', { openServiceUri: r.openServiceUri, serviceUrisEnabled: async () => false })).status).toBe(
      'issued',
    );
    expect((await enroll('SYNC', { openServiceUri: r.openServiceUri }, true)).status).toBe('issued');
    expect((await enroll('NOURIS', { openServiceUri: r.openServiceUri })).status).toBe('issued');
    expect(r.events).toEqual([]);
  });

  it('an opener that fails is logged, never fails the enrollment', async () => {
    const outcome = await enroll('SYNC', {
      openServiceUri: async () => {
        throw new Error('xdg-open is not installed');
      },
    });
    expect(outcome.status).toBe('issued');
  });
});

describe('the opener commands (asserted: they cannot all run here)', () => {
  const env = { ProgramFiles: 'C:\\Program Files', HOME: '/home/u' };
  it('web URIs use the default-browser command of each OS', () => {
    expect(serviceUriCommand('https://portal.test/a?b=1&c=2', true, 'win32', env)).toMatchObject({
      command: 'rundll32',
      args: ['url.dll,FileProtocolHandler', 'https://portal.test/a?b=1&c=2'],
    });
    expect(serviceUriCommand('https://portal.test/', false, 'darwin', env)).toMatchObject({
      command: 'open',
      args: ['https://portal.test/'],
    });
  });

  it('file URIs: expanded path, waited for when synchronous', () => {
    // powershell.exe joins every argument after -Command into the script ("all arguments following it are
    // interpreted as part of the command"), so the path must be inside the script as a literal, never an argument
    // after it: the spec's own example expands to "C:\\Program Files\\…", which split at the space, and a path with
    // ";" or "$(…)" ran as code.
    const win = serviceUriCommand('file://%ProgramFiles%\\vpn\\vpn.exe', true, 'win32', env);
    expect(win).toMatchObject({ command: 'powershell.exe', timeoutMs: 0 });
    expect(win.args).not.toContain('-Command');
    expect(decodePsScript(win.args)).toMatch(/; Start-Process -FilePath 'C:\\Program Files\\vpn\\vpn\.exe' -Wait$/);
    const odd = serviceUriCommand("file://C:\\it's;$(calc)\\vpn.exe", false, 'win32', env);
    expect(decodePsScript(odd.args)).toMatch(/; Start-Process -FilePath 'C:\\it''s;\$\(calc\)\\vpn\.exe'$/);
    expect(odd.timeoutMs).toBe(15_000);
    expect(serviceUriCommand('file://$HOME/vpn.app', true, 'darwin', env)).toMatchObject({
      command: 'open',
      args: ['-W', '/home/u/vpn.app'],
    });
    expect(serviceUriCommand('file://$HOME/vpn.app', false, 'darwin', env)).toMatchObject({ args: ['/home/u/vpn.app'] });
    const linux = serviceUriCommand('file:///opt/vpn/vpn', false, 'linux', env);
    expect(linux.command).toBe('sh');
    expect(linux.args.at(-1)).toBe('/opt/vpn/vpn');
    expect(linux.args[1]).toMatch(/& exit 0$/);
    expect(serviceUriCommand('file:///opt/vpn/vpn', true, 'linux', env).args[1]).toMatch(/exec xdg-open/);
  });

  it('other schemes are refused', () => {
    expect(() => serviceUriCommand('javascript:alert(1)', false, 'linux', env)).toThrow(/neither a web address nor a file/);
  });
});
