/**
 * The C# that windows-lsa.ts hands to PowerShell's Add-Type cannot run here (it calls the Windows LSA), but it can be
 * compiled: mono's mcs at C# 5 (what Windows PowerShell 5.1's Add-Type compiles), and the marshalled layouts of the
 * LSA structures compared with the Windows SDK's x64 ones (ntsecapi.h), which LsaCallAuthenticationPackage reads.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { reportSkip } from '../../test-support/hardware/index';
import { LSA_SOURCE } from './windows-lsa';

const run = promisify(execFile);
const missing = await run('sh', ['-c', 'command -v mcs && command -v mono']).then(
  () => undefined,
  () => 'mcs/mono (Debian mono-mcs) not installed',
);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kt-lsa-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PROBE = String.raw`
using System; using System.Reflection; using System.Runtime.InteropServices;
class Probe { static void Main() {
  foreach (string n in new[] { "KERB_RETRIEVE_TKT_REQUEST", "KERB_EXTERNAL_TICKET", "UNICODE_STRING" }) {
    Type s = typeof(KtLsa).GetNestedType(n, BindingFlags.NonPublic);
    Console.Write(n + " " + Marshal.SizeOf(s));
    foreach (FieldInfo f in s.GetFields()) Console.Write(" " + f.Name + "@" + Marshal.OffsetOf(s, f.Name));
    Console.WriteLine();
  }
} }`;

describe.skipIf(reportSkip('LSA ticket C# compiled with mcs', missing))('the LSA P/Invoke source', () => {
  it('compiles as C# 5 and marshals the LSA structures at the Windows SDK x64 offsets', async () => {
    writeFileSync(path.join(tmp, 'lsa.cs'), LSA_SOURCE);
    writeFileSync(path.join(tmp, 'probe.cs'), PROBE);
    await run('mcs', [
      '-langversion:5',
      '-nologo',
      `-out:${path.join(tmp, 'probe.exe')}`,
      path.join(tmp, 'lsa.cs'),
      path.join(tmp, 'probe.cs'),
    ]);
    const { stdout } = await run('mono', [path.join(tmp, 'probe.exe')]);
    expect(stdout.trim().split('\n')).toEqual([
      'KERB_RETRIEVE_TKT_REQUEST 64 MessageType@0 LogonId@4 TargetName@16 TicketFlags@32 CacheOptions@36 EncryptionType@40 CredentialsHandle@48',
      'KERB_EXTERNAL_TICKET 152 ServiceName@0 TargetName@8 ClientName@16 DomainName@24 TargetDomainName@40 AltTargetDomainName@56 SessionKey@72 TicketFlags@88 Flags@92 KeyExpirationTime@96 StartTime@104 EndTime@112 RenewUntil@120 TimeSkew@128 EncodedTicketSize@136 EncodedTicket@144',
      'UNICODE_STRING 16 Length@0 MaximumLength@2 Buffer@8',
    ]);
  });
});
