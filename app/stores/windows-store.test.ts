import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordingRunner, type CommandSpec } from '../system/command-runner';
import { certFactsFromPem } from './cert-summary';
import { TestPki } from '../../test-support/stores/test-pki';
import { decodePsScript, KEY_PROVIDER, parsePsCertificates, psArgs, psQuote, WindowsStore } from './windows-store';

const fixtures = path.join(__dirname, '../../test-support/stores/fixtures');
const pki = new TestPki('Windows Test');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'winstore-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ok = (stdout = '') => ({ code: 0, stdout, stderr: '' });
const LIST = (loc: string) =>
  `Get-ChildItem -Path 'Cert:\\${loc}\\My' | Select-Object Thumbprint, FriendlyName, HasPrivateKey, @{Name='RawData'; Expression={[Convert]::ToBase64String($_.RawData)}}, ${KEY_PROVIDER} | ConvertTo-Json -Compress -Depth 2`;
const PRELUDE = "$ErrorActionPreference = 'Stop'; [Console]::OutputEncoding = [System.Text.Encoding]::UTF8; ";

/**
 * Plays Windows for the store: keeps the certificates of My, answers the listing with PowerShell's JSON,
 * and on Import-PfxCertificate opens the PFX with the password from stdin exactly as Windows would have to.
 */
function fakeWindows(loc = 'CurrentUser') {
  const my: { der: Buffer; friendly: string; key: boolean }[] = [];
  const seen: { script: string; input?: string; p12Text?: string; p12Mode?: number }[] = [];
  const runner = new RecordingRunner((spec: CommandSpec) => {
    expect(spec.command).toBe('powershell.exe');
    expect(spec.args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
    const script = decodePsScript(spec.args);
    expect(script.startsWith(PRELUDE)).toBe(true);
    const body = script.slice(PRELUDE.length);
    const input = typeof spec.input === 'string' ? spec.input : undefined;
    seen.push({ script: body, input });
    if (body === LIST(loc)) {
      return ok(
        JSON.stringify(
          my.map((c) => ({
            Thumbprint: new X509Certificate(c.der).fingerprint.replace(/:/g, ''),
            FriendlyName: c.friendly,
            HasPrivateKey: c.key,
            RawData: c.der.toString('base64'),
          })),
        ),
      );
    }
    const pfx = /-FilePath '([^']+\.p12)'/.exec(body)?.[1];
    const cer = /^\$cert = Import-Certificate -FilePath '([^']+)'/.exec(body)?.[1];
    if (pfx || cer) {
      let der: Buffer;
      if (pfx) {
        seen[seen.length - 1]!.p12Mode = statSync(pfx).mode & 0o777;
        const out = execFileSync('openssl', ['pkcs12', '-legacy', '-in', pfx, '-passin', 'stdin', '-nodes'], {
          input: input ?? '',
          encoding: 'utf8',
        });
        seen[seen.length - 1]!.p12Text = out;
        der = new X509Certificate(out.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)![0]).raw;
      } else {
        der = readFileSync(cer!);
      }
      const friendly = /\$cert\.FriendlyName = '((?:[^']|'')*)'/.exec(body)![1]!.replace(/''/g, "'");
      my.push({ der, friendly, key: !!pfx });
      return ok(`${new X509Certificate(der).fingerprint.replace(/:/g, '')}\r\n`);
    }
    const rm = /^Remove-Item -Path 'Cert:\\[A-Za-z]+\\My\\([0-9A-F]{40})'( -DeleteKey)?$/.exec(body);
    if (rm) {
      const i = my.findIndex((c) => new X509Certificate(c.der).fingerprint.replace(/:/g, '') === rm[1]);
      if (i >= 0) my.splice(i, 1);
      return ok();
    }
    throw new Error(`unexpected script: ${body}`);
  });
  return { runner, my, seen };
}

describe('WindowsStore listing (recorded PowerShell output)', () => {
  it('parses the Select-Object listing JSON: thumbprints agree with the certificates, non-ASCII intact', async () => {
    const recorded = readFileSync(path.join(fixtures, 'windows-currentuser-my.json'), 'utf8');
    const runner = new RecordingRunner(() => ok(recorded));
    const list = await new WindowsStore({ runner }).list();
    expect(list).toHaveLength(3);
    const rows = JSON.parse(recorded) as { Thumbprint: string }[];
    expect(list.map((c) => c.sha1Fingerprint)).toEqual(rows.map((r) => r.Thumbprint));
    expect(list.map((c) => [c.label, c.hasPrivateKey, c.subject])).toEqual([
      ['KeyTalk Zoë 日本', true, 'CN=Zoë Müller 日本, O=Exämple AG'],
      ['plain user', true, 'CN=plain user'],
      ['Jürgen no key', false, 'CN=Jürgen no key'],
    ]);
    expect(list[0]!.ref).toBe(`CurrentUser\\My\\${rows[0]!.Thumbprint}`);
    expect(runner.calls[0]!.args).toEqual(psArgs(LIST('CurrentUser')));
  });

  it('parses a plain Get-ChildItem | ConvertTo-Json dump (single object, RawData as bytes, /Date()/ dates)', () => {
    const rows = parsePsCertificates(readFileSync(path.join(fixtures, 'windows-getchilditem-raw.json'), 'utf8'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.FriendlyName).toBe('KeyTalk Zoë 日本');
    const der = Buffer.from(rows[0]!.RawData as number[]);
    expect(new X509Certificate(der).fingerprint.replace(/:/g, '')).toBe(rows[0]!.Thumbprint);
    expect(parsePsCertificates('')).toEqual([]);
    expect(() => parsePsCertificates('Get-ChildItem : Access is denied')).toThrow(/not JSON/);
  });
});

describe('WindowsStore add/remove (commands asserted, PFX opened with the stdin password)', () => {
  it('imports the PFX into CurrentUser\\My with the password on stdin only, the intermediate into CA, and cleans up', async () => {
    const { runner, seen, my } = fakeWindows();
    const store = new WindowsStore({ runner, tmpDir: tmp });
    const b = { ...pki.bundle('Zoë Windows 日本'), label: "KeyTalk O'Brien Zoë" };
    const stored = await store.add(b);
    const facts = certFactsFromPem(b.certPem);
    expect(stored).toMatchObject({
      storeId: 'windows-user',
      sha256Fingerprint: facts.sha256Fingerprint,
      hasPrivateKey: true,
      label: "KeyTalk O'Brien Zoë",
    });
    const imp = seen.find((s) => s.script.includes('Import-PfxCertificate'))!;
    const p12 = /-FilePath '([^']+\.p12)'/.exec(imp.script)![1]!;
    const ca0 = path.join(path.dirname(p12), 'ca0.cer');
    expect(imp.script).toBe(
      [
        '$password = ConvertTo-SecureString -String ([Console]::In.ReadLine()) -AsPlainText -Force',
        `$cert = Import-PfxCertificate -FilePath '${p12}' -CertStoreLocation 'Cert:\\CurrentUser\\My' -Password $password`,
        "$cert.FriendlyName = 'KeyTalk O''Brien Zoë'",
        `Import-Certificate -FilePath '${ca0}' -CertStoreLocation 'Cert:\\CurrentUser\\CA' | Out-Null`,
        '$cert.Thumbprint',
      ].join('; '),
    );
    const password = imp.input!.trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    for (const c of runner.calls) expect(c.args.join(' ') + decodePsScript(c.args)).not.toContain(password);
    expect(imp.p12Mode).toBe(0o600);
    expect(imp.p12Text!.match(/BEGIN CERTIFICATE/g)).toHaveLength(1); // the leaf only; chain goes to CA/Root
    expect(existsSync(path.dirname(p12))).toBe(false);
    expect(my).toHaveLength(1);
    // same certificate again: no import
    const calls = runner.calls.length;
    await store.add(b);
    expect(runner.calls.length).toBe(calls + 1);
  });

  it('puts the root into Root only when asked, and removes the certificate with its key', async () => {
    const { runner, seen } = fakeWindows('LocalMachine');
    const store = new WindowsStore({ runner, location: 'LocalMachine', tmpDir: tmp, legacyP12: true });
    expect(store.id).toBe('windows-machine');
    const b = pki.bundle('Machine cert');
    const stored = await store.add(b, { trustRoot: true });
    const imp = seen.find((s) => s.script.includes('Import-PfxCertificate'))!;
    expect(imp.script).toMatch(/-CertStoreLocation 'Cert:\\LocalMachine\\My'/);
    expect(imp.script).toMatch(/ca0\.cer' -CertStoreLocation 'Cert:\\LocalMachine\\CA'/);
    expect(imp.script).toMatch(/ca1\.cer' -CertStoreLocation 'Cert:\\LocalMachine\\Root'/);
    await store.remove(stored.sha256Fingerprint);
    expect(seen.map((s) => s.script)).toContain(
      `Remove-Item -Path 'Cert:\\LocalMachine\\My\\${stored.sha1Fingerprint}' -DeleteKey`,
    );
    expect(await store.list()).toEqual([]);
    await store.remove(stored.sha256Fingerprint); // absent: only a listing
    expect(seen.at(-1)!.script).toBe(LIST('LocalMachine'));
  });

  it('adds a certificate without key through Import-Certificate', async () => {
    const { runner, seen } = fakeWindows();
    const stored = await new WindowsStore({ runner, tmpDir: tmp }).add({
      certPem: pki.leaf('no key').pem,
      chainPem: [],
      label: 'No key',
    });
    expect(stored.hasPrivateKey).toBe(false);
    expect(seen.some((s) => s.script.startsWith("$cert = Import-Certificate -FilePath '"))).toBe(true);
  });

  it('explains access denied on LocalMachine', async () => {
    const runner = new RecordingRunner(() => ({
      code: 1,
      stdout: '',
      stderr: 'Get-ChildItem : Access is denied. (Exception from HRESULT: 0x80070005 (E_ACCESSDENIED))',
    }));
    await expect(new WindowsStore({ runner, location: 'LocalMachine' }).list()).rejects.toThrow(
      /refused access.*run the agent as administrator/,
    );
  });

  it('quotes PowerShell strings, including typographic quotes', () => {
    expect(psQuote("it's")).toBe("'it''s'");
    expect(psQuote('a\u2019b')).toBe("'a\u2019\u2019b'");
    expect(psQuote('$(Remove-Item C:\\)')).toBe("'$(Remove-Item C:\\)'");
  });
});
