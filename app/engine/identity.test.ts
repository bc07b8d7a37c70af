import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureInput } from '../../simulators/keytalk/index';
import { openssl } from '../../test-support/crypto/openssl';
import { MemorySecretStore } from '../system/secret-store';
import type { CommandSpec } from '../system/command-runner';
import { callerHwDescription, deviceFingerprint, rawDeviceId } from './device-id';
import { runEnrollment, type EnrollRequest } from './enroll';
import type { FlowAnswer } from '../model/flow-types';
import { credentialSecretKey } from './state';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';

/**
 * Identity fields of RCDP authentication (spec 2.7.x "authentication": caller-hw-description, computer-name,
 * retired-computer-name), what "Remember" keeps after a CHALLENGE, and use-tpm-vsc-authentication (2.6.x
 * auth-requirements) — against the real simulator, which logs every field it received.
 */

const fixture: FixtureInput = {
  providers: [
    {
      name: 'Demo',
      services: [
        { name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} },
        { name: 'NAMED', credentials: ['USERID', 'PASSWD'], supplyComputerName: true, cert: {} },
        { name: 'TPMVSC', credentials: ['USERID', 'PASSWD'], useTpmVsc: 'yes', cert: {} },
      ],
      users: [
        { id: 'alice', password: 'secret' },
        // A multi-phase sign-in: the password, then a CHALLENGE answered in passwd mode ("Enter your new PIN").
        { id: 'bob', password: 'secret', passwordChallenge: { prompt: 'Enter your new PIN', answer: '9876' } },
      ],
    },
  ],
};

let h: SimHarness;
beforeAll(async () => {
  h = await startSimHarness(fixture);
});
afterAll(async () => h?.stop());

type LogEntry = { action?: string; fields: Record<string, string> };
const authRequests = async () =>
  ((await h.control('/log')) as LogEntry[]).filter((e) => e.action === 'authentication' && e.fields.service);
const clearLog = () => h.control('/log', undefined, 'DELETE');

const enroll = (
  req: Partial<EnrollRequest> & { service: string },
  answers: ((p: unknown) => FlowAnswer | undefined)[],
  deps = h.deps(),
) => {
  const t = scriptedTestFrontEnd(answers);
  return runEnrollment({ provider: 'Demo', ...req }, t.fe, deps).then((outcome) => ({ outcome, ...t }));
};

describe('caller-hw-description: unique per device, hashed (spec: "should be unique for the given device")', () => {
  it('Linux: the first readable identifier file wins; placeholders are skipped', async () => {
    const dir = await fs.mkdtemp(path.join(h.tmp, 'devid-'));
    const missing = path.join(dir, 'machine-id');
    const dbus = path.join(dir, 'dbus-machine-id');
    const dmi = path.join(dir, 'product_uuid');
    await fs.writeFile(dbus, '00000000000000000000000000000000\n'); // firmware/container placeholder
    await fs.writeFile(dmi, 'A1B2C3D4-0000-1111-2222-333344445555\n');
    const raw = await rawDeviceId({ platform: 'linux', linuxFiles: [missing, dbus, dmi] });
    expect(raw).toBe(`${dmi}:a1b2c3d4-0000-1111-2222-333344445555`);
    const other = await rawDeviceId({ platform: 'linux', linuxFiles: [missing] });
    expect(other).toBeUndefined();
  });

  it('Windows: MachineGuid by reg query, else the BIOS serial by PowerShell (exact commands)', async () => {
    const calls: CommandSpec[] = [];
    let guid = true;
    const runner = {
      run: async (spec: CommandSpec) => {
        calls.push(spec);
        if (spec.command === 'reg')
          return guid
            ? {
                code: 0,
                stdout:
                  '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\r\n    MachineGuid    REG_SZ    6F1D2C3B-AAAA-BBBB-CCCC-0123456789AB\r\n',
                stderr: '',
              }
            : { code: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.' };
        return { code: 0, stdout: 'PF1ABCDE\r\n', stderr: '' };
      },
    };
    expect(await rawDeviceId({ platform: 'win32', runner })).toBe('machineguid:6f1d2c3b-aaaa-bbbb-cccc-0123456789ab');
    expect(calls.map((c) => [c.command, ...c.args])).toEqual([
      ['reg', 'query', 'HKLM\\SOFTWARE\\Microsoft\\Cryptography', '/v', 'MachineGuid'],
    ]);
    guid = false;
    calls.length = 0;
    expect(await rawDeviceId({ platform: 'win32', runner })).toBe('bios:PF1ABCDE');
    expect(calls[1]).toMatchObject({
      command: 'powershell.exe',
      args: ['-NoProfile', '-NonInteractive', '-Command', '(Get-CimInstance -ClassName Win32_BIOS).SerialNumber'],
    });
  });

  it('macOS: IOPlatformUUID from ioreg (exact command)', async () => {
    const calls: CommandSpec[] = [];
    const runner = {
      run: async (spec: CommandSpec) => {
        calls.push(spec);
        return {
          code: 0,
          stdout:
            '+-o J314sAP  <class IOPlatformExpertDevice>\n  {\n    "IOPlatformUUID" = "0A1B2C3D-1111-2222-3333-444455556666"\n  }\n',
          stderr: '',
        };
      },
    };
    expect(await rawDeviceId({ platform: 'darwin', runner })).toBe('ioplatformuuid:0a1b2c3d-1111-2222-3333-444455556666');
    expect(calls.map((c) => [c.command, ...c.args])).toEqual([['ioreg', '-rd1', '-c', 'IOPlatformExpertDevice']]);
  });

  it('two devices get two descriptions; the raw identifier never appears in it', async () => {
    const dir = await fs.mkdtemp(path.join(h.tmp, 'devid2-'));
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    await fs.writeFile(a, 'aaaa1111bbbb2222cccc3333dddd4444\n');
    await fs.writeFile(b, 'eeee5555ffff6666aaaa7777bbbb8888\n');
    const da = await callerHwDescription('host', { platform: 'linux', linuxFiles: [a] });
    const db = await callerHwDescription('host', { platform: 'linux', linuxFiles: [b] });
    expect(da).not.toBe(db);
    expect(da).toMatch(/, host, device [0-9a-f]{16}$/);
    expect(da).not.toContain('aaaa1111');
    expect(da).toContain(deviceFingerprint(`${a}:aaaa1111bbbb2222cccc3333dddd4444`));
  });

  it('the engine sends this machine’s hashed description to the server (simulator log), never the raw machine-id', async () => {
    await clearLog();
    const { outcome } = await enroll({ service: 'PASSWD' }, [() => creds({ USERID: 'alice', PASSWD: 'secret' })]);
    expect(outcome.status).toBe('issued');
    const sent = (await authRequests())[0]!.fields['caller-hw-description']!;
    const machineId = (await fs.readFile('/etc/machine-id', 'utf8').catch(() => '')).trim();
    if (machineId) {
      expect(sent).toMatch(/, testhost, device [0-9a-f]{16}$/);
      expect(sent).not.toContain(machineId);
    } else expect(sent).toContain('testhost');
  });
});

describe('retired-computer-name (spec 2.7.x authentication)', () => {
  const oldCert = () =>
    openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      '/dev/null',
      '-subj',
      '/CN=oldhost',
      '-addext',
      'subjectAltName=DNS:oldhost',
      '-days',
      '30',
    ]).toString();

  it('sent when the service asks for the computer name and the renewed certificate names another machine', async () => {
    const previousCertPem = oldCert();
    await clearLog();
    const { outcome } = await enroll({ service: 'NAMED', previousCertPem }, [() => creds({ USERID: 'alice', PASSWD: 'secret' })]);
    expect(outcome.status).toBe('issued');
    const fields = (await authRequests())[0]!.fields;
    expect(fields['computer-name']).toBe('testhost');
    expect(fields['retired-computer-name']).toBe('oldhost');
  });

  it('not sent when the name is unchanged, or when the service did not ask for the computer name', async () => {
    const previousCertPem = oldCert();
    await clearLog();
    await enroll({ service: 'NAMED', previousCertPem }, [() => creds({ USERID: 'alice', PASSWD: 'secret' })], {
      ...h.deps(),
      computerName: () => 'oldhost',
    });
    await enroll({ service: 'PASSWD', previousCertPem }, [() => creds({ USERID: 'alice', PASSWD: 'secret' })]);
    const sent = await authRequests();
    expect(sent).toHaveLength(2);
    expect(sent[0]!.fields['computer-name']).toBe('oldhost');
    for (const e of sent) expect(e.fields['retired-computer-name']).toBeUndefined();
  });
});

describe('"Remember" after a multi-phase CHALLENGE', () => {
  it('stores the password the user typed, never the challenge answer sent after it', async () => {
    const secretStore = new MemorySecretStore();
    const deps = h.deps({ secretStore });
    const { outcome, prompts } = await enroll(
      { service: 'PASSWD' },
      [
        () => creds({ USERID: 'bob', PASSWD: 'secret' }, true),
        (p) =>
          (p as { kind: string }).kind === 'challenge'
            ? { kind: 'challenge', responses: [{ name: 'response', value: '9876' }] }
            : undefined,
      ],
      deps,
    );
    expect(outcome.status).toBe('issued');
    expect(prompts.map((p) => (p as { kind: string }).kind)).toEqual(['credentials', 'challenge']);
    const saved = JSON.parse((await secretStore.get(credentialSecretKey('Demo', 'PASSWD')))!) as Record<string, string>;
    expect(saved).toEqual({ USERID: 'bob', PASSWD: 'secret' });
    expect(JSON.stringify(saved)).not.toContain('9876');
  });
});

describe('use-tpm-vsc-authentication (spec 2.6.x auth-requirements)', () => {
  it('"yes" is refused in words before any credential is sent (never silently enrolled with a software key)', async () => {
    await clearLog();
    const { outcome, prompts } = await enroll({ service: 'TPMVSC' }, []);
    expect(outcome).toMatchObject({ status: 'failed', code: 'unsupported' });
    if (outcome.status === 'failed') expect(outcome.message).toMatch(/TPM Virtual Smart Card.*use-tpm-vsc-authentication: yes/);
    expect(prompts).toEqual([]);
    expect(await authRequests()).toEqual([]);
  });
});
