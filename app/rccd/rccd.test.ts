import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeCertificate } from '../crypto/cert-info';
import { createTestPki, issueCertificate } from '../../test-support/crypto/test-pki';
import { importRccd, listProviders, loadProvider, ProviderNotFoundError, RccdVersionError, removeProvider } from './index';
import { makeRccdV1, makeRccdV2, type RccdCas } from '../../test-support/rccd/make-rccd';

let cas: RccdCas;
const homes: string[] = [];
function newHome(): string {
  const h = mkdtempSync(path.join(os.tmpdir(), 'kt-rccd-'));
  homes.push(h);
  return h;
}
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

beforeAll(async () => {
  const pki = await createTestPki('RCCD');
  const signing = await issueCertificate(pki.primary, { cn: 'RCCD Signing CA', isCa: true, keyPem: pki.server.keyPem });
  const server = await issueCertificate(pki.primary, { cn: 'RCCD Server CA', isCa: true, keyPem: pki.root.keyPem });
  const extra = await issueCertificate(undefined, { cn: 'Extra Signing CA', isCa: true, keyPem: pki.primary.keyPem });
  cas = { root: pki.root, primary: pki.primary, signing, server, extraSigning: [extra] };
});

const cn = (pem: string | undefined): string | undefined => (pem ? describeCertificate(pem).commonName : undefined);

describe('importRccd: RCCD v2', () => {
  it('imports YAML (index.yaml + user.yaml) and stores provider.json and the CA PEMs', async () => {
    const home = newHome();
    const rec = await importRccd(home, await makeRccdV2({ cas, server: '127.0.0.1:8443', contentVersion: 7 }), {
      fileName: 'demo.rccd',
    });
    expect(rec.name).toBe('DemoProvider');
    expect(rec.kind).toBe('keytalk');
    expect(rec.server).toBe('127.0.0.1:8443');
    expect(rec.contentVersion).toBe(7);
    expect(rec.services.map((s) => s.name)).toEqual(['CUST_PASSWD_INTERNAL', 'CUST_PIN_PASSWD']);
    expect(rec.services[0]).toMatchObject({
      certValidPercent: 10,
      certFormat: 'P12',
      certChain: false,
      uri: 'https://a.example/',
      users: ['DemoUser'],
    });
    expect(cn(rec.cas.root)).toBe('RCCD Root CA');
    expect(cn(rec.cas.primary)).toBe('RCCD Primary CA');
    expect(cn(rec.cas.signing)).toBe('RCCD Signing CA');
    expect(cn(rec.cas.server)).toBe('RCCD Server CA');
    expect(rec.cas.extraSigning.map(cn)).toEqual(['Extra Signing CA']);
    expect(rec.logoDataUrl).toMatch(/^data:image\/png;base64,iVBOR/);
    expect(rec.source).toEqual({
      rccdVersion: 2,
      configVersion: '2.0.1',
      userConfigFormat: 'yaml',
      signature: 'not-applicable',
      fileName: 'demo.rccd',
    });

    const dir = path.join(home, 'providers', 'DemoProvider');
    expect(readdirSync(dir).sort()).toEqual([
      'extra-signing.pem',
      'primary.pem',
      'provider.json',
      'root.pem',
      'server.pem',
      'signing.pem',
    ]);
    expect(JSON.parse(readFileSync(path.join(dir, 'provider.json'), 'utf8'))).toEqual(rec);
    expect(readFileSync(path.join(dir, 'server.pem'), 'utf8')).toBe(rec.cas.server);
    expect(await loadProvider(home, 'DemoProvider')).toEqual(rec);
    expect(await listProviders(home)).toEqual([rec]);
  });

  it('imports libconfig (index.conf + user.ini) with the same result', async () => {
    const home = newHome();
    const rec = await importRccd(
      home,
      await makeRccdV2({ cas, syntax: 'libconfig', providerName: 'Ini Provider', server: 'keytalk.example.com' }),
    );
    expect(rec.name).toBe('Ini Provider');
    expect(rec.server).toBe('keytalk.example.com');
    expect(rec.source?.userConfigFormat).toBe('libconfig');
    expect(rec.services[1]).toMatchObject({ name: 'CUST_PIN_PASSWD', certValidPercent: 25, certFormat: 'PEM' });
    expect(cn(rec.cas.signing)).toBe('RCCD Signing CA');
  });

  it('updates in place for a newer ContentVersion, refuses older/equal unless forced, and removes', async () => {
    const home = newHome();
    await importRccd(home, await makeRccdV2({ cas, contentVersion: 5, server: 'old.example' }));
    await expect(importRccd(home, await makeRccdV2({ cas, contentVersion: 5 }))).rejects.toBeInstanceOf(RccdVersionError);
    await expect(importRccd(home, await makeRccdV2({ cas, contentVersion: 4 }))).rejects.toThrow(/not newer.*--force/);
    expect((await loadProvider(home, 'DemoProvider')).server).toBe('old.example');
    const newer = await importRccd(home, await makeRccdV2({ cas, contentVersion: 6, server: 'new.example' }));
    expect(newer.server).toBe('new.example');
    expect((await loadProvider(home, 'DemoProvider')).contentVersion).toBe(6);
    const forced = await importRccd(home, await makeRccdV2({ cas, contentVersion: 3, server: 'forced.example' }), {
      force: true,
    });
    expect(forced.contentVersion).toBe(3);
    expect(readdirSync(path.join(home, 'providers'))).toEqual(['DemoProvider']);

    await removeProvider(home, 'DemoProvider');
    expect(await listProviders(home)).toEqual([]);
    await expect(loadProvider(home, 'DemoProvider')).rejects.toBeInstanceOf(ProviderNotFoundError);
    await expect(removeProvider(home, 'DemoProvider')).rejects.toThrow(/No provider named "DemoProvider"/);
  });

  it('refuses to replace an Online CA provider of the same name, leaving it as it was', async () => {
    const home = newHome();
    const file = path.join(home, 'providers', 'DemoProvider', 'provider.json');
    const onlineCa = { kind: 'onlineca', name: 'DemoProvider', url: 'https://ca.example/onlineca/' };
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(onlineCa));
    await expect(importRccd(home, await makeRccdV2({ cas }))).rejects.toThrow(
      'An Online CA provider named "DemoProvider" already exists; remove it first',
    );
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(onlineCa);
  });

  it('names the field when provider.json is damaged, with the fix', async () => {
    const home = newHome();
    await importRccd(home, await makeRccdV2({ cas }));
    const file = path.join(home, 'providers', 'DemoProvider', 'provider.json');
    const { server: _server, ...withoutServer } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify(withoutServer));
    await expect(loadProvider(home, 'DemoProvider')).rejects.toThrow(
      /provider\.json is damaged \(server: expected string\); it was moved aside to .*provider\.json\.damaged-[^;]+; re-import the provider's RCCD file/,
    );
    writeFileSync(file, JSON.stringify({ ...withoutServer, server: 'h', services: [{ name: '' }] }));
    await expect(loadProvider(home, 'DemoProvider')).rejects.toThrow(/\(services\.0\.name: expected at least 1 character\)/);
  });

  it('leaves the installed provider intact when a newer import fails', async () => {
    const home = newHome();
    const before = await importRccd(home, await makeRccdV2({ cas, contentVersion: 1 }));
    const broken = await makeRccdV2({ cas, contentVersion: 2 }, (zip) => zip.remove('content/commcacert.der'));
    await expect(importRccd(home, broken)).rejects.toThrow(/names "content\/commcacert.der" as SCA.*no such file/);
    expect(await loadProvider(home, 'DemoProvider')).toEqual(before);
    expect(readdirSync(path.join(home, 'providers'))).toEqual(['DemoProvider']);
  });

  it('keeps provider folder names safe for odd provider names', async () => {
    const home = newHome();
    const rec = await importRccd(home, await makeRccdV2({ cas, providerName: '../../etc Ünï' }));
    expect(rec.name).toBe('../../etc Ünï');
    const [folder, ...more] = readdirSync(path.join(home, 'providers'));
    expect(more).toEqual([]);
    expect(folder).toMatch(/^__\.\._etc _n_-[0-9a-f]{10}$/);
    expect((await loadProvider(home, '../../etc Ünï')).name).toBe('../../etc Ünï');
  });

  it('gives names that read alike once made ASCII their own folders (Почта and Банк, 日本 and 中国)', async () => {
    const home = newHome();
    for (const name of ['Почта', 'Банк', '日本', '中国', 'Acme', 'Acme?']) {
      await importRccd(home, await makeRccdV2({ cas, providerName: name, server: `${name.length}.example` }));
    }
    expect((await listProviders(home)).map((p) => p.name).sort()).toEqual(
      ['Acme', 'Acme?', 'Банк', 'Почта', '中国', '日本'].sort(),
    );
    expect((await loadProvider(home, '日本')).name).toBe('日本');
    expect(readdirSync(path.join(home, 'providers'))).toContain('Acme');
    await removeProvider(home, '中国');
    expect((await listProviders(home)).map((p) => p.name)).not.toContain('中国');
    expect((await loadProvider(home, '日本')).name).toBe('日本');
  });

  it('still finds, updates and removes a provider in a folder named by the old rule (no hash)', async () => {
    const home = newHome();
    await importRccd(home, await makeRccdV2({ cas, providerName: 'Почта', contentVersion: 1, server: 'v1.example' }));
    const [hashed] = readdirSync(path.join(home, 'providers'));
    // An install made before the hash suffix: the folder is the name made ASCII, nothing more.
    renameSync(path.join(home, 'providers', hashed!), path.join(home, 'providers', '_____'));
    expect((await loadProvider(home, 'Почта')).server).toBe('v1.example');
    await importRccd(home, await makeRccdV2({ cas, providerName: 'Почта', contentVersion: 2, server: 'v2.example' }));
    expect(readdirSync(path.join(home, 'providers'))).toEqual(['_____']);
    expect((await loadProvider(home, 'Почта')).server).toBe('v2.example');
    // Another name that the old rule put in the same folder now installs beside it instead of clashing.
    await importRccd(home, await makeRccdV2({ cas, providerName: 'Банкк', server: 'b.example' }));
    expect((await listProviders(home)).map((p) => p.name).sort()).toEqual(['Банкк', 'Почта']);
    await removeProvider(home, 'Почта');
    expect(readdirSync(path.join(home, 'providers'))).toHaveLength(1);
    await expect(loadProvider(home, 'Почта')).rejects.toBeInstanceOf(ProviderNotFoundError);
  });
});

describe('importRccd: RCCD v1', () => {
  it('verifies the S/MIME signature and the SHA-1 checksums', async () => {
    const home = newHome();
    const rec = await importRccd(home, await makeRccdV1({ cas, contentVersion: 2013070101 }), { acceptUnsigned: true });
    expect(rec.contentVersion).toBe(2013070101);
    expect(rec.source).toMatchObject({ rccdVersion: 1, configVersion: '1.1', signature: 'valid' });
    expect(cn(rec.cas.server)).toBe('RCCD Server CA');
    expect(rec.cas.root).toBeUndefined();
    expect(rec.logoDataUrl).toMatch(/^data:image\/png/);
  });

  // KeyTalk writes each manifest checksum as ALGO-HEX; older files hold bare SHA-1 hex; case varies.
  for (const checksum of ['sha1', 'sha256', 'bare', 'upper-sha256'] as const) {
    it(`imports a manifest whose checksums are written as ${checksum}`, async () => {
      let manifest = '';
      const rccd = await makeRccdV1({ cas, checksum }, (_z, m) => (manifest = m.text));
      const first = /Checksum: (\S+)/.exec(manifest)![1]!;
      const expected = { sha1: /^sha1-[0-9a-f]{40}$/, sha256: /^sha256-[0-9a-f]{64}$/, bare: /^[0-9a-f]{40}$/ };
      expect(first).toMatch(checksum === 'upper-sha256' ? /^SHA256-[0-9A-F]{64}$/ : expected[checksum]);
      const rec = await importRccd(newHome(), rccd, { acceptUnsigned: true });
      expect(rec.source).toMatchObject({ rccdVersion: 1, signature: 'valid' });
      expect(rec.services.map((s) => s.name)).toEqual(['CUST_PASSWD_INTERNAL', 'CUST_PIN_PASSWD']);
    });
  }

  it('checks a sha256- checksum with SHA-256 (a SHA-1 digest under that name is refused)', async () => {
    const rccd = await makeRccdV1({ cas, checksum: 'sha256' }, (zip) => zip.file('content/pcacert.der', 'swapped'));
    await expect(importRccd(newHome(), rccd)).rejects.toThrow(/"content\/pcacert.der" \(PCA\) does not match its checksum/);
  });

  it('accepts an unsigned manifest with a warning, still checking checksums', async () => {
    const rec = await importRccd(newHome(), await makeRccdV1({ cas, unsigned: true }), { acceptUnsigned: true });
    expect(rec.source?.signature).toBe('absent');
    expect(rec.warnings).toContain('The RCCD v1 manifest is not signed; its checksums were verified');
  });

  it('refuses a file that does not match its checksum', async () => {
    const rccd = await makeRccdV1({ cas }, (zip) => zip.file('content/user.yaml', 'Providers: []\n'));
    await expect(importRccd(newHome(), rccd)).rejects.toThrow(/does not match its checksum/);
  });

  it('refuses a manifest changed after signing and a signer outside the RCCD CAs', async () => {
    const zip = await JSZip.loadAsync(await makeRccdV1({ cas, contentVersion: 11 }));
    const signed = await zip.file('content.yaml.signed')!.async('string');
    zip.file('content.yaml.signed', signed.replace('ContentVersion: 11', 'ContentVersion: 99'));
    const tampered = await zip.generateAsync({ type: 'nodebuffer' });
    await expect(importRccd(newHome(), tampered)).rejects.toThrow(/changed after it was signed/);

    const stranger = await issueCertificate(undefined, { cn: 'Stranger', keyPem: cas.root.keyPem });
    await expect(importRccd(newHome(), await makeRccdV1({ cas, signer: stranger }))).rejects.toThrow(
      /not issued by the CAs in the RCCD/,
    );
  });
});

/** Patch a 32-bit field of every central-directory and local header (offsets from the signatures). */
function patchZip(buf: Buffer, central: Record<number, number>, local: Record<number, number>): Buffer {
  const out = Buffer.from(buf);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = out.readUInt32LE(i);
    const fields = sig === 0x02014b50 ? central : sig === 0x04034b50 ? local : undefined;
    if (!fields) continue;
    for (const [off, value] of Object.entries(fields)) {
      const o = i + Number(off);
      if (Number(off) === 8 || Number(off) === 6) out.writeUInt16LE(out.readUInt16LE(o) | value, o);
      else out.writeUInt32LE(value, o);
    }
  }
  return out;
}

describe('importRccd: malicious and broken corpus', () => {
  const cases: Array<[string, () => Promise<Buffer | Uint8Array>, RegExp]> = [
    ['garbage bytes', async () => Buffer.from('this is not a zip file at all, just text'), /Not a zip archive/],
    ['empty file', async () => new Uint8Array(), /too small to be a zip/],
    ['truncated zip', async () => (await makeRccdV2({ cas })).subarray(0, 300), /Not a zip archive|damaged|truncated/],
    ['path traversal', async () => makeRccdV2({ cas }, (z) => z.file('../../evil.txt', 'x')), /path traversal/],
    ['backslash traversal', async () => makeRccdV2({ cas }, (z) => z.file('content\\..\\..\\evil.txt', 'x')), /path traversal/],
    ['absolute path', async () => makeRccdV2({ cas }, (z) => z.file('/etc/evil', 'x')), /absolute path|path traversal/],
    ['drive letter', async () => makeRccdV2({ cas }, (z) => z.file('C:/Windows/evil', 'x')), /absolute path/],
    [
      'symlink entry',
      async () => makeRccdV2({ cas }, (z) => z.file('content/link', '/etc/passwd', { unixPermissions: 0o120777 })),
      /symbolic link/,
    ],
    [
      'zip bomb (declared size)',
      async () => {
        const z = new JSZip();
        z.file('index.yaml', Buffer.alloc(1000, 0x20));
        // Stored entry whose headers claim 9 MiB: refused from the central directory, before any inflating.
        return patchZip(await z.generateAsync({ type: 'nodebuffer' }), { 20: 9 * 1024 * 1024, 24: 9 * 1024 * 1024 }, {});
      },
      /would unpack to 9437184 bytes/,
    ],
    [
      'zip bomb (ratio)',
      async () => makeRccdV2({ cas }, (z) => z.file('content/bomb.bin', Buffer.alloc(512 * 1024))),
      /compression ratio above 100:1/,
    ],
    [
      'zip bomb (total size)',
      async () => {
        const z = new JSZip();
        for (let i = 0; i < 5; i++) z.file(`f${i}`, Buffer.alloc(1000, 0x20));
        return patchZip(await z.generateAsync({ type: 'nodebuffer' }), { 20: 7 * 1024 * 1024, 24: 7 * 1024 * 1024 }, {});
      },
      /would unpack to 36700160 bytes/,
    ],
    [
      'zip bomb (lying header)',
      async () => {
        const z = new JSZip();
        z.file('index.yaml', Buffer.alloc(200_000, 0x20));
        const b = await z.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
        return patchZip(b, { 24: 100 }, { 22: 100 });
      },
      /more than its declared 100 bytes/,
    ],
    [
      'CRC mismatch',
      async () => {
        const z = new JSZip();
        z.file('index.yaml', 'ConfigVersion: "2.0"\n');
        return patchZip(await z.generateAsync({ type: 'nodebuffer' }), { 16: 0xdeadbeef }, {});
      },
      /CRC/,
    ],
    [
      'encrypted entry',
      async () => {
        const z = new JSZip();
        z.file('index.yaml', 'x');
        return patchZip(await z.generateAsync({ type: 'nodebuffer' }), { 8: 1 }, {});
      },
      /encrypted/,
    ],
    [
      'too many entries',
      async () => {
        const z = new JSZip();
        for (let i = 0; i < 300; i++) z.file(`f${i}`, 'x');
        return z.generateAsync({ type: 'nodebuffer' });
      },
      /300 entries/,
    ],
    [
      'zip without an index',
      async () => new JSZip().file('readme.txt', 'hello').generateAsync({ type: 'nodebuffer' }),
      /not an RCCD/,
    ],
    [
      'bad YAML index',
      async () => makeRccdV2({ cas }, (z) => z.file('index.yaml', 'UserConfig: [unclosed\n  - : :')),
      /index.yaml is not valid YAML/,
    ],
    [
      'bad YAML user config',
      async () => makeRccdV2({ cas }, (z) => z.file('content/user.yaml', 'Providers: {\n')),
      /user.yaml is not valid YAML/,
    ],
    ['YAML alias bomb', async () => makeRccdV2({ cas }, (z) => z.file('content/user.yaml', aliasBomb())), /not valid YAML/],
    [
      'bad libconfig',
      async () =>
        makeRccdV2({ cas, syntax: 'libconfig' }, (z) => z.file('content/user.ini', 'Providers = ( { Name = oops; } );')),
      /user.ini: libconfig syntax error on line 1/,
    ],
    [
      'user config with no providers',
      async () => makeRccdV2({ cas }, (z) => z.file('content/user.yaml', 'Providers: []\n')),
      /lists no Providers/,
    ],
    [
      'index pointing outside',
      async () => makeRccdV2({ cas }, (z) => z.file('index.yaml', 'ContentVersion: 1\nUserConfig: ../../etc/passwd\n')),
      /not a safe path/,
    ],
    [
      'missing UserConfig',
      async () => makeRccdV2({ cas }, (z) => z.file('index.yaml', 'ContentVersion: 1\n')),
      /does not name its UserConfig/,
    ],
    [
      'CA that is not a certificate',
      async () => makeRccdV2({ cas }, (z) => z.file('content/pcacert.der', 'nope')),
      /PCA \(primary CA\) in the RCCD is not a readable X.509/,
    ],
    [
      'bad CertValidPercent',
      async () => makeRccdV2({ cas, services: [{ Name: 'S', CertValidPercent: 250 }] }),
      /CertValidPercent 250/,
    ],
    [
      'v1 checksum with an unknown algorithm',
      async () => makeRccdV1({ cas }, (_z, m) => (m.text = m.text.replace(/Checksum: sha1-[0-9a-f]{32}/, 'Checksum: md5-'))),
      /checksum for UserConfig uses the algorithm "md5", which the agent does not know/,
    ],
    [
      'v1 checksum of the wrong length',
      async () => makeRccdV1({ cas, checksum: 'sha256' }, (_z, m) => (m.text = m.text.replace(/sha256-/, 'sha1-'))),
      /checksum for UserConfig \("sha1-[0-9a-f]{64}"\) is not a SHA1 digest \(40 hex digits\)/,
    ],
    [
      'v1 file altered after its sha1- checksum',
      async () => makeRccdV1({ cas }, (z) => z.file('content/commcacert.der', Buffer.from(cas.root.certPem))),
      /"content\/commcacert.der" \(SCA\) does not match its checksum in the manifest: the RCCD was altered or damaged/,
    ],
    [
      'v1 entry without a checksum',
      async () => makeRccdV1({ cas }, (_z, m) => (m.text = m.text.replace(/\n {2}Checksum: \S+\n$/, '\n'))),
      /manifest has no checksum for LogoV11/,
    ],
    [
      'bad server',
      async () => makeRccdV2({ cas, server: 'http://exa mple/' }),
      /Server "http:\/\/exa mple\/" is not a host name/,
    ],
  ];

  for (const [label, make, error] of cases) {
    it(`rejects ${label} and writes nothing`, async () => {
      const home = newHome();
      await expect(importRccd(home, await make())).rejects.toThrow(error);
      const providers = path.join(home, 'providers');
      expect(existsSync(providers) ? readdirSync(providers) : []).toEqual([]);
    });
  }

  it('rejects an archive above the size limit before reading it', async () => {
    await expect(importRccd(newHome(), Buffer.alloc(17 * 1024 * 1024))).rejects.toThrow(/above 16777216 bytes are not accepted/);
  });
});

function aliasBomb(): string {
  let s = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
  for (let i = 0; i < 8; i++)
    s += `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
      .fill(`*${String.fromCharCode(97 + i)}`)
      .join(',')}]\n`;
  return s;
}
