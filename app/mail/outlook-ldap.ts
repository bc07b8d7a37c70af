import path from 'node:path';
import { writeFileAtomic } from '../system/atomic-write';
import type { CommandRunner } from '../system/command-runner';
import type { LdapAddressBook } from './thunderbird';

/**
 * apply-address-books for Outlook (Windows). Outlook keeps LDAP directories inside the MAPI profile (binary), so no
 * registry value can add one directly; Microsoft's deployment path is an Outlook profile file (PRF) with a
 * "LDAP Directory" service (MAPI service EMABLT) per directory, named in HKCU\Software\Microsoft\Office\<ver>\Outlook\Setup
 * ImportPRF, which Outlook applies to the default profile (ModifyDefaultProfileIfPresent, OverwriteProfile=Append) on
 * its next start once the First-Run markers are gone. The PRF goes to a folder of ours (%APPDATA%\KeyTalk); the
 * registry changes go through the command runner so tests assert them exactly.
 */
export interface OutlookLdapOptions {
  runner: CommandRunner;
  /** Folder for the PRF file (Windows: %APPDATA%\KeyTalk; tests: a temp folder). */
  prfDir: string;
  /** Office version key under HKCU\Software\Microsoft\Office (16.0 = Office 2016–2024/365). */
  officeVersion?: string;
}

export const OUTLOOK_LDAP_PRF = 'keytalk-address-books.prf';

/** Host, port and TLS of an ldap:// or ldaps:// URL, with a clear error for anything else. */
function ldapServer(url: string): { host: string; port: number; ssl: boolean } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`address book URL ${JSON.stringify(url)} is not a URL`);
  }
  if (u.protocol !== 'ldap:' && u.protocol !== 'ldaps:') throw new Error(`address book URL ${url} is not ldap:// or ldaps://`);
  const ssl = u.protocol === 'ldaps:';
  return { host: u.hostname, port: u.port ? Number(u.port) : ssl ? 636 : 389, ssl };
}

/** PRF values are one line each: a line break in a server-sent value must not start a new key. */
const oneLine = (v: string): string => v.replace(/[\r\n]+/g, ' ');

/**
 * Section 6 of Office's PRF template (outlook.prf, "Mapping for profile properties"): each [ServiceN] key becomes the
 * MAPI property named here, and `ServiceN=LDAP Directory` in [Service List] refers to this section by its name. An
 * imported PRF carries its own mapping; without it Outlook cannot tell which property a key sets.
 */
const LDAP_MAPPING = [
  '[LDAP Directory]',
  'ServiceName=EMABLT',
  'ServerName=PT_STRING8,0x6600',
  'UserName=PT_STRING8,0x6602',
  'UseSSL=PT_BOOLEAN,0x6613',
  'UseSPA=PT_BOOLEAN,0x6615',
  'EnableBrowsing=PT_BOOLEAN,0x6622',
  'DisplayName=PT_STRING8,0x3001',
  'ConnectionPort=PT_STRING8,0x6601',
  'SearchTimeout=PT_STRING8,0x6607',
  'MaxEntriesReturned=PT_STRING8,0x6608',
  'SearchBase=PT_STRING8,0x6603',
  'CheckNames=PT_STRING8,0x6624',
  'DefaultSearch=PT_LONG,0x6623',
];

export function outlookLdapPrf(books: LdapAddressBook[]): string {
  const lines = [
    '; KeyTalk Agent: LDAP address books the KeyTalk server asked for (apply-address-books)',
    '[General]',
    'Custom=1',
    'ModifyDefaultProfileIfPresent=TRUE',
    'DefaultProfile=Yes',
    'OverwriteProfile=Append',
    // Append keeps the old profile as "Backup Of <name>" unless told not to (Office Resource Kit, PRF reference).
    'BackupProfile=False',
    '',
    '[Service List]',
    ...books.map((_, i) => `Service${i + 1}=LDAP Directory`),
  ];
  books.forEach((b, i) => {
    const s = ldapServer(b.url);
    lines.push(
      '',
      `[Service${i + 1}]`,
      `ServerName=${oneLine(s.host)}`,
      `ConnectionPort=${s.port}`,
      `UseSSL=${s.ssl ? 'TRUE' : 'FALSE'}`,
      `DisplayName=${oneLine(`KeyTalk ${s.host}`)}`,
      ...(b.searchBase ? [`SearchBase=${oneLine(b.searchBase)}`] : []),
      'EnableBrowsing=FALSE',
      'SearchTimeout=60',
      'MaxEntriesReturned=100',
    );
  });
  lines.push('', ...LDAP_MAPPING);
  return `${lines.join('\r\n')}\r\n`;
}

export async function applyOutlookAddressBooks(
  books: LdapAddressBook[],
  o: OutlookLdapOptions,
): Promise<{ prfFile: string; commands: string[][]; notes: string[] }> {
  if (!books.length) return { prfFile: '', commands: [], notes: [] };
  // A Windows folder on Windows; tests on Linux give a POSIX temp folder.
  const prfFile = (o.prfDir.includes('\\') ? path.win32 : path.posix).join(o.prfDir, OUTLOOK_LDAP_PRF);
  await writeFileAtomic(prfFile, outlookLdapPrf(books));
  const key = `HKCU\\Software\\Microsoft\\Office\\${o.officeVersion ?? '16.0'}\\Outlook\\Setup`;
  const commands: string[][] = [];
  const add = ['add', key, '/v', 'ImportPRF', '/t', 'REG_SZ', '/d', prfFile, '/f'];
  const r = await o.runner.run({ command: 'reg', args: add });
  if (r.code !== 0) throw new Error(`reg add ${key} ImportPRF failed: ${(r.stderr || r.stdout).trim()}`);
  commands.push(['reg', ...add]);
  // Outlook reads ImportPRF only while these first-run markers are absent; a missing value is fine (exit 1).
  for (const v of ['First-Run', 'FirstRun']) {
    const del = ['delete', key, '/v', v, '/f'];
    await o.runner.run({ command: 'reg', args: del });
    commands.push(['reg', ...del]);
  }
  const notes = [`Outlook adds ${books.length} LDAP address book(s) the next time it starts`];
  for (const b of books)
    if (b.verificationCa)
      notes.push(`Outlook: ${b.url} is verified with the server's CA only once Windows trusts it (Trusted Root store)`);
  return { prfFile, commands, notes };
}
