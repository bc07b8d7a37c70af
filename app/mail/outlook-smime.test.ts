import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertPem } from '../../test-support/crypto/fixture-certs';
import { RecordingRunner, type CommandSpec } from '../system/command-runner';
import { buildSecuritySetting, registryMultiBinary } from './outlook-security-profile';
import { selectOutlookSmimeCertificate } from './outlook-smime';

let certPem: string;
let thumbprint: string;
const outlookKey = 'HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook';
const section = `${outlookKey}\\Profiles\\Outlook\\c02ebc5353d9cd11975200aa004ae40e`;

beforeAll(() => {
  // A real certificate from openssl: the thumbprint must be the SHA-1 of its DER, as Windows computes it.
  certPem = selfSignedCertPem('/CN=carol');
  thumbprint = new X509Certificate(certPem).fingerprint.replace(/:/g, '');
});

/** A Windows registry as `reg query` shows it; `reg add` succeeds. */
function registry(values: Record<string, string>) {
  return new RecordingRunner((spec: CommandSpec) => {
    const [verb, key, , name] = spec.args;
    if (verb === 'add') return { code: 0, stdout: 'The operation completed successfully.\r\n', stderr: '' };
    const v = values[`${key}|${name}`];
    if (v === undefined)
      return { code: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n' };
    const type = name === '11020355' ? 'REG_BINARY' : 'REG_SZ';
    return { code: 0, stdout: `\r\n${key}\r\n    ${name}    ${type}    ${v}\r\n\r\n`, stderr: '' };
  });
}
const argv = (r: RecordingRunner) => r.calls.map((c) => [c.command, ...c.args]);
const base = {
  [`${outlookKey}|DefaultProfile`]: 'Outlook',
  'HKLM\\SOFTWARE\\Microsoft\\Office\\16.0\\Outlook|Bitness': 'x64',
};

describe('Outlook: the certificate of the default security setting', () => {
  it('no settings yet: writes one "KeyTalk <email>" default setting (exact reg commands and data)', async () => {
    const runner = registry(base);
    const r = await selectOutlookSmimeCertificate({ runner, certPem, email: 'carol@mailco.test' });
    const data = registryMultiBinary(
      [
        buildSecuritySetting({
          name: 'KeyTalk carol@mailco.test',
          signingSha1: thumbprint,
          encryptionSha1: thumbprint,
          isDefault: true,
        }),
      ],
      'x64',
    )
      .toString('hex')
      .toUpperCase();
    expect(argv(runner)).toEqual([
      ['reg', 'query', outlookKey, '/v', 'DefaultProfile'],
      ['reg', 'query', 'HKLM\\SOFTWARE\\Microsoft\\Office\\16.0\\Outlook', '/v', 'Bitness'],
      ['reg', 'query', section, '/v', '11020355'],
      ['reg', 'add', section, '/v', '11020355', '/t', 'REG_BINARY', '/d', data, '/f'],
    ]);
    expect(r.commands).toEqual([argv(runner)[3]]);
    // The data carries the certificate's own thumbprint for signing and for encryption.
    expect(data.split(thumbprint.toUpperCase())).toHaveLength(3);
    expect(r.notes).toEqual([
      `Outlook profile "Outlook": carol@mailco.test signs and encrypts with certificate ${thumbprint} from Outlook's next start`,
    ]);
  });

  it('32-bit Office on 64-bit Windows (WOW6432Node); our own earlier setting is replaced', async () => {
    const old = registryMultiBinary(
      [
        buildSecuritySetting({
          name: 'KeyTalk carol@mailco.test',
          signingSha1: 'ab'.repeat(20),
          encryptionSha1: 'ab'.repeat(20),
          isDefault: true,
        }),
      ],
      'x86',
    );
    const runner = registry({
      [`${outlookKey}|DefaultProfile`]: 'Outlook',
      'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Office\\16.0\\Outlook|Bitness': 'x86',
      [`${section}|11020355`]: old.toString('hex').toUpperCase(),
    });
    const r = await selectOutlookSmimeCertificate({ runner, certPem, email: 'carol@mailco.test' });
    expect(r.commands).toHaveLength(1);
    const written = Buffer.from(r.commands[0]![8]!, 'hex');
    // One value of 3*8 + (4+26) + (4+52) + 2*24 + 84 = 242 bytes at offset 12 (x86 layout).
    expect(written.subarray(0, 12)).toEqual(Buffer.from('01000000' + 'f2000000' + '0c000000', 'hex'));
    expect(written.toString('hex')).toContain(thumbprint.toLowerCase());
  });

  it("the user's own security settings are never changed: the note says what to do", async () => {
    const theirs = registryMultiBinary(
      [
        buildSecuritySetting({
          name: 'My S/MIME',
          signingSha1: 'cd'.repeat(20),
          encryptionSha1: 'cd'.repeat(20),
          isDefault: true,
        }),
      ],
      'x64',
    );
    const runner = registry({ ...base, [`${section}|11020355`]: theirs.toString('hex') });
    const r = await selectOutlookSmimeCertificate({ runner, certPem, email: 'carol@mailco.test' });
    expect(argv(runner).some((c) => c[1] === 'add')).toBe(false);
    expect(r.userStep).toBe(r.notes[0]);
    expect(r.notes[0]).toBe(
      `Outlook: profile "Outlook" has security settings of your own (My S/MIME), which the agent does not change; ` +
        `choose the certificate in Outlook yourself: File › Options › Trust Center › Trust Center Settings › Email Security › ` +
        `Settings…, then for signing and for encryption the certificate issued to carol@mailco.test (thumbprint ${thumbprint})`,
    );
  });

  it('nothing is written when anything is uncertain: no profile, unknown bitness, unknown data', async () => {
    const noProfile = registry({});
    expect((await selectOutlookSmimeCertificate({ runner: noProfile, certPem, email: 'c@x.test' })).notes[0]).toMatch(
      /^Outlook: no default Outlook mail profile yet .*; choose the certificate in Outlook yourself/,
    );
    const noBitness = registry({ [`${outlookKey}|DefaultProfile`]: 'Outlook' });
    expect((await selectOutlookSmimeCertificate({ runner: noBitness, certPem, email: 'c@x.test' })).notes[0]).toMatch(
      /the Office 16\.0 build \(32 or 64 bit\) is unknown/,
    );
    const garbage = registry({ ...base, [`${section}|11020355`]: '0500000001' });
    const g = await selectOutlookSmimeCertificate({ runner: garbage, certPem, email: 'c@x.test' });
    expect(g.notes[0]).toMatch(/not in a layout the agent knows, so they are left alone/);
    for (const r of [noProfile, noBitness, garbage]) expect(argv(r).some((c) => c[1] === 'add')).toBe(false);
  });

  it('a failing reg add is an error naming it', async () => {
    const runner = new RecordingRunner((spec) =>
      spec.args[0] === 'add'
        ? { code: 1, stdout: '', stderr: 'ERROR: Access is denied.' }
        : spec.args[3] === 'DefaultProfile'
          ? { code: 0, stdout: '    DefaultProfile    REG_SZ    Outlook\r\n', stderr: '' }
          : spec.args[3] === 'Bitness'
            ? { code: 0, stdout: '    Bitness    REG_SZ    x64\r\n', stderr: '' }
            : { code: 1, stdout: '', stderr: 'not found' },
    );
    await expect(selectOutlookSmimeCertificate({ runner, certPem, email: 'c@x.test' })).rejects.toThrow(
      /reg add .*c02ebc5353d9cd11975200aa004ae40e \/v 11020355 failed: ERROR: Access is denied\./,
    );
  });
});
