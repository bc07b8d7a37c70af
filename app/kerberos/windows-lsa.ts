/**
 * The Windows source of the spec's kerberos-ticket (RCDP 2.6.3: the user's TGT with its session key). Windows keeps
 * tickets in the LSA, not in a ccache. SSPI (InitializeSecurityContext, also what the `kerberos` npm package uses on
 * Windows) only hands out AP-REQs for a service, which is not what the spec asks for; the TGT and its session key
 * come from the Kerberos package's KerbRetrieveEncodedTicketMessage (LsaCallAuthenticationPackage), the call
 * `klist tgt` makes. PowerShell's Add-Type compiles the small P/Invoke below, so no native module ships with the agent.
 *
 * Windows gives an unprivileged caller the TGT's session key only when the AllowTgtSessionKey policy is set
 * (HKLM\SYSTEM\CurrentControlSet\Control\Lsa\Kerberos\Parameters, DWORD 1) and Credential Guard is off; otherwise
 * the key comes back as zeros and the agent falls back to the other credentials, saying why.
 */
import { psArgs } from '../stores/windows-store';
import type { CommandRunner } from '../system/command-runner';
import type { KerberosTicketParam, TicketLookup } from './ticket-param';

/** C#: the user's TGT for krbtgt/<domain> from the LSA, as an object PowerShell turns into JSON. */
export const LSA_SOURCE = String.raw`
using System;
using System.Runtime.InteropServices;
public class KtTgt {
  public string Client; public string Realm; public int KeyType; public string Key; public string Ticket;
  public uint Flags; public string Start; public string End; public string Renew; public int Status;
}
public static class KtLsa {
  [StructLayout(LayoutKind.Sequential)] struct LSA_STRING { public ushort Length; public ushort MaximumLength; public IntPtr Buffer; }
  [StructLayout(LayoutKind.Sequential)] struct UNICODE_STRING { public ushort Length; public ushort MaximumLength; public IntPtr Buffer; }
  [StructLayout(LayoutKind.Sequential)] struct LUID { public uint Low; public int High; }
  [StructLayout(LayoutKind.Sequential)] struct SEC_HANDLE { public IntPtr Lower; public IntPtr Upper; }
  [StructLayout(LayoutKind.Sequential)] struct KERB_RETRIEVE_TKT_REQUEST {
    public int MessageType; public LUID LogonId; public UNICODE_STRING TargetName; public uint TicketFlags;
    public uint CacheOptions; public int EncryptionType; public SEC_HANDLE CredentialsHandle; }
  [StructLayout(LayoutKind.Sequential)] struct KERB_CRYPTO_KEY { public int KeyType; public int Length; public IntPtr Value; }
  [StructLayout(LayoutKind.Sequential)] struct KERB_EXTERNAL_TICKET {
    public IntPtr ServiceName; public IntPtr TargetName; public IntPtr ClientName; public UNICODE_STRING DomainName;
    public UNICODE_STRING TargetDomainName; public UNICODE_STRING AltTargetDomainName; public KERB_CRYPTO_KEY SessionKey;
    public uint TicketFlags; public uint Flags; public long KeyExpirationTime; public long StartTime; public long EndTime;
    public long RenewUntil; public long TimeSkew; public int EncodedTicketSize; public IntPtr EncodedTicket; }
  [DllImport("secur32.dll")] static extern int LsaConnectUntrusted(out IntPtr handle);
  [DllImport("secur32.dll")] static extern int LsaLookupAuthenticationPackage(IntPtr handle, ref LSA_STRING name, out uint package);
  [DllImport("secur32.dll")] static extern int LsaCallAuthenticationPackage(IntPtr handle, uint package, IntPtr buffer, int length, out IntPtr result, out int resultLength, out int status);
  [DllImport("secur32.dll")] static extern int LsaFreeReturnBuffer(IntPtr buffer);
  [DllImport("secur32.dll")] static extern int LsaDeregisterLogonProcess(IntPtr handle);
  static string Str(UNICODE_STRING s) { return s.Buffer == IntPtr.Zero ? "" : Marshal.PtrToStringUni(s.Buffer, s.Length / 2); }
  static string Name(IntPtr p) {
    if (p == IntPtr.Zero) return "";
    int count = Marshal.ReadInt16(p, 2);
    int size = Marshal.SizeOf(typeof(UNICODE_STRING));
    string[] parts = new string[count];
    for (int i = 0; i < count; i++)
      parts[i] = Str((UNICODE_STRING)Marshal.PtrToStructure(IntPtr.Add(p, IntPtr.Size + i * size), typeof(UNICODE_STRING)));
    return String.Join("/", parts);
  }
  static string Iso(long t) { return DateTime.FromFileTimeUtc(t).ToString("yyyy-MM-ddTHH:mm:ssZ"); }
  public static KtTgt Get(string domain) {
    KtTgt r = new KtTgt();
    IntPtr lsa; r.Status = LsaConnectUntrusted(out lsa);
    if (r.Status != 0) return r;
    IntPtr req = IntPtr.Zero;
    try {
      LSA_STRING pkgName = new LSA_STRING(); pkgName.Buffer = Marshal.StringToHGlobalAnsi("Kerberos"); pkgName.Length = 8; pkgName.MaximumLength = 9;
      uint pkg; r.Status = LsaLookupAuthenticationPackage(lsa, ref pkgName, out pkg);
      Marshal.FreeHGlobal(pkgName.Buffer);
      if (r.Status != 0) return r;
      // The target name must lie inside the submitted buffer, right after the request.
      string target = "krbtgt/" + domain;
      int head = Marshal.SizeOf(typeof(KERB_RETRIEVE_TKT_REQUEST));
      int nameBytes = target.Length * 2;
      req = Marshal.AllocHGlobal(head + nameBytes);
      KERB_RETRIEVE_TKT_REQUEST q = new KERB_RETRIEVE_TKT_REQUEST();
      q.MessageType = 8; // KerbRetrieveEncodedTicketMessage
      q.CacheOptions = 2; // KERB_RETRIEVE_TICKET_USE_CACHE_ONLY: the logon's TGT, no KDC round trip
      q.TargetName.Length = (ushort)nameBytes; q.TargetName.MaximumLength = (ushort)nameBytes; q.TargetName.Buffer = IntPtr.Add(req, head);
      Marshal.StructureToPtr(q, req, false);
      Marshal.Copy(target.ToCharArray(), 0, q.TargetName.Buffer, target.Length);
      IntPtr res; int resLen; int sub;
      r.Status = LsaCallAuthenticationPackage(lsa, pkg, req, head + nameBytes, out res, out resLen, out sub);
      if (r.Status == 0) r.Status = sub;
      if (r.Status != 0 || res == IntPtr.Zero) return r;
      try {
        KERB_EXTERNAL_TICKET t = (KERB_EXTERNAL_TICKET)Marshal.PtrToStructure(res, typeof(KERB_EXTERNAL_TICKET));
        r.Client = Name(t.ClientName); r.Realm = Str(t.DomainName); r.KeyType = t.SessionKey.KeyType; r.Flags = t.TicketFlags;
        byte[] key = new byte[t.SessionKey.Length]; Marshal.Copy(t.SessionKey.Value, key, 0, key.Length); r.Key = Convert.ToBase64String(key);
        byte[] tkt = new byte[t.EncodedTicketSize]; Marshal.Copy(t.EncodedTicket, tkt, 0, tkt.Length); r.Ticket = Convert.ToBase64String(tkt);
        r.Start = Iso(t.StartTime); r.End = Iso(t.EndTime); r.Renew = Iso(t.RenewUntil);
      } finally { LsaFreeReturnBuffer(res); }
      return r;
    } finally {
      if (req != IntPtr.Zero) Marshal.FreeHGlobal(req);
      LsaDeregisterLogonProcess(lsa);
    }
  }
}
`;

/** The PowerShell the agent runs: no domain → says so; else the TGT as one line of JSON. */
export const WINDOWS_TGT_SCRIPT =
  `if (-not $env:USERDNSDOMAIN) { '{"NoDomain":true}'; exit 0 }; ` +
  `Add-Type -TypeDefinition @'${LSA_SOURCE}'@; ` +
  `[KtLsa]::Get($env:USERDNSDOMAIN) | ConvertTo-Json -Compress`;

interface LsaTgt {
  NoDomain?: boolean;
  Status?: number;
  Client?: string | null;
  Realm?: string | null;
  KeyType?: number;
  Key?: string | null;
  Ticket?: string | null;
  Flags?: number;
  Start?: string | null;
  End?: string | null;
  Renew?: string | null;
}

const MIN_REMAINING_SECONDS = 30;
const ntstatus = (s: number) => `0x${(s >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

/** The TGT of the signed-in Windows domain user as the spec's kerberos-ticket, or why there is none. */
export async function readWindowsTicket(deps: { runner: CommandRunner; now?: () => Date }): Promise<TicketLookup> {
  const r = await deps.runner
    .run({ command: 'powershell.exe', args: psArgs(WINDOWS_TGT_SCRIPT), timeoutMs: 60_000 })
    .catch((e: Error) => ({ code: -1, stdout: '', stderr: e.message }));
  const line =
    r.stdout
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/)
      .pop() ?? '';
  let t: LsaTgt;
  try {
    t = JSON.parse(line) as LsaTgt;
  } catch {
    const why = (r.stderr || r.stdout).trim().split(/\r?\n/)[0] ?? '';
    return { reason: `the Windows Kerberos ticket could not be read (PowerShell exit ${r.code}: ${why})` };
  }
  if (t.NoDomain)
    return { reason: 'Windows is not signed in to a domain (USERDNSDOMAIN is not set), so there is no Kerberos ticket' };
  // STATUS_NO_SUCH_LOGON_SESSION / SEC_E_NO_CREDENTIALS / the TGT is not cached: a local or cloud-only logon.
  if (t.Status || !t.Ticket || !t.Key || !t.Client || !t.Realm) {
    return {
      reason: `Windows has no Kerberos ticket-granting ticket for this logon (LSA status ${ntstatus(t.Status ?? 0)}); sign in with a domain account`,
    };
  }
  const key = Buffer.from(t.Key, 'base64');
  if (key.every((b) => b === 0)) {
    return {
      reason:
        'Windows withholds the session key of the Kerberos ticket (Credential Guard, or the AllowTgtSessionKey policy is not set); ask your administrator to set HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\Kerberos\\Parameters AllowTgtSessionKey=1',
    };
  }
  const end = new Date(t.End ?? 0);
  const now = (deps.now ?? (() => new Date()))();
  if (!(end.getTime() - now.getTime() >= MIN_REMAINING_SECONDS * 1000)) {
    return { reason: `the Kerberos ticket of ${t.Client}@${t.Realm} expired at ${t.End} (lock and unlock Windows to renew it)` };
  }
  const ticket: KerberosTicketParam = {
    'client-principal': `${t.Client}@${t.Realm}`,
    'session-key': key.toString('base64'),
    'session-key-encoding': String(t.KeyType),
    tgt: t.Ticket,
    'tgt-flags': String((t.Flags ?? 0) >>> 0),
    'start-time': t.Start!,
    'end-time': t.End!,
    // A ticket that is not renewable has no renew time (zero, before its start): the spec's field then says its end.
    'renew-till': t.Renew && Date.parse(t.Renew) >= Date.parse(t.Start!) ? t.Renew : t.End!,
  };
  return { ticket, cache: `LSA:${t.Realm}` };
}
