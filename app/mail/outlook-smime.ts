import { X509Certificate } from 'node:crypto';
import type { CommandRunner } from '../system/command-runner';
import {
  buildSecuritySetting,
  parseRegistryMultiBinary,
  parseSecuritySetting,
  registryMultiBinary,
  SECURITY_PROFILES_VALUE,
  SECURITY_SECTION,
  securitySettingName,
} from './outlook-security-profile';

/**
 * apply-smime-settings for Outlook: make the new certificate the signing and encryption certificate of the
 * default Outlook profile's default security setting (see outlook-security-profile.ts for the data). Only a
 * setting the agent wrote itself ("KeyTalk …") is ever replaced: when the user already has security settings
 * of their own, or anything cannot be read with certainty (no profile, unknown Office bitness, a value not
 * laid out as expected), nothing is written and the note says what the user does instead. Outlook reads the
 * profile at start, so the change takes effect at its next start.
 */
export interface OutlookCertificateOptions {
  runner: CommandRunner;
  certPem: string;
  /** The certificate's e-mail address (names the setting). */
  email: string;
  officeVersion?: string;
}

export const OUR_SETTING_PREFIX = 'KeyTalk';

export function outlookManualStep(email: string, thumbprint: string): string {
  return (
    `choose the certificate in Outlook yourself: File › Options › Trust Center › Trust Center Settings › Email Security › ` +
    `Settings…, then for signing and for encryption the certificate issued to ${email} (thumbprint ${thumbprint})`
  );
}

export async function selectOutlookSmimeCertificate(
  o: OutlookCertificateOptions,
): Promise<{ commands: string[][]; notes: string[]; userStep?: string }> {
  const ver = o.officeVersion ?? '16.0';
  const thumbprint = new X509Certificate(o.certPem).fingerprint.replace(/:/g, '');
  const manual = (why: string) => {
    const step = `Outlook: ${why}; ${outlookManualStep(o.email, thumbprint)}`;
    return { commands: [], notes: [step], userStep: step };
  };

  const profile = await regValue(o.runner, `HKCU\\Software\\Microsoft\\Office\\${ver}\\Outlook`, 'DefaultProfile');
  if (!profile) return manual('no default Outlook mail profile yet (start Outlook once and add the account)');
  const bitness =
    (await regValue(o.runner, `HKLM\\SOFTWARE\\Microsoft\\Office\\${ver}\\Outlook`, 'Bitness')) ??
    (await regValue(o.runner, `HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Office\\${ver}\\Outlook`, 'Bitness'));
  if (bitness !== 'x86' && bitness !== 'x64') return manual(`the Office ${ver} build (32 or 64 bit) is unknown`);

  const key = `HKCU\\Software\\Microsoft\\Office\\${ver}\\Outlook\\Profiles\\${profile}\\${SECURITY_SECTION}`;
  const existing = await regValue(o.runner, key, SECURITY_PROFILES_VALUE);
  if (existing !== undefined) {
    const values = parseRegistryMultiBinary(Buffer.from(existing, 'hex'), bitness);
    const names = values?.map((v) => {
      const props = parseSecuritySetting(v);
      return props ? securitySettingName(props) : undefined;
    });
    if (!names || names.some((n) => n === undefined))
      return manual(`the security settings of profile "${profile}" are not in a layout the agent knows, so they are left alone`);
    const theirs = names.filter((n) => !n!.startsWith(OUR_SETTING_PREFIX));
    if (theirs.length)
      return manual(
        `profile "${profile}" has security settings of your own (${theirs.join(', ')}), which the agent does not change`,
      );
  }

  const data = registryMultiBinary(
    [
      buildSecuritySetting({
        name: `${OUR_SETTING_PREFIX} ${o.email}`,
        signingSha1: thumbprint,
        encryptionSha1: thumbprint,
        isDefault: true,
      }),
    ],
    bitness,
  );
  const args = ['add', key, '/v', SECURITY_PROFILES_VALUE, '/t', 'REG_BINARY', '/d', data.toString('hex').toUpperCase(), '/f'];
  const r = await o.runner.run({ command: 'reg', args });
  if (r.code !== 0) throw new Error(`reg add ${key} /v ${SECURITY_PROFILES_VALUE} failed: ${(r.stderr || r.stdout).trim()}`);
  return {
    commands: [['reg', ...args]],
    notes: [
      `Outlook profile "${profile}": ${o.email} signs and encrypts with certificate ${thumbprint} from Outlook's next start`,
    ],
  };
}

/** One value from `reg query KEY /v NAME`; undefined when the key or value does not exist. */
async function regValue(runner: CommandRunner, key: string, name: string): Promise<string | undefined> {
  const r = await runner.run({ command: 'reg', args: ['query', key, '/v', name] });
  if (r.code !== 0) return undefined;
  const line = r.stdout.split(/\r?\n/).find((l) => l.trim().toLowerCase().startsWith(`${name.toLowerCase()} `));
  const m = line ? /^\s*\S+\s+REG_\w+\s*(.*)$/.exec(line) : null;
  return m ? m[1]!.trim() : undefined;
}
