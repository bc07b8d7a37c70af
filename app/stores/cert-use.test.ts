import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKey, mintCert, type TestKey } from '../../test-support/scanner/test-certs';
import { certUsesOf } from './cert-use';
import { FileStore } from './file-store';

/** What a certificate is for, from its EKU and key usage (RFC 5280 4.2.1.3, 4.2.1.12), as the card title says it. */
let key: TestKey;
let dir: string;
beforeAll(async () => {
  key = makeKey();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cert-use-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const uses = (o: Omit<Parameters<typeof mintCert>[0], 'key' | 'cn'>) =>
  certUsesOf(new X509Certificate(mintCert({ cn: 'x', key, ...o }).der));

describe('certUsesOf', () => {
  it('names S/MIME by what the key may do: signing, encryption, or both', () => {
    const smime = { extKeyUsage: { emailProtection: true }, email: 'a@b.test' };
    expect(uses({ ...smime, keyUsage: { digitalSignature: true, keyEncipherment: true } })).toEqual(['smime']);
    expect(uses({ ...smime, keyUsage: { digitalSignature: true, nonRepudiation: true } })).toEqual(['smime-signing']);
    expect(uses({ ...smime, keyUsage: { keyEncipherment: true } })).toEqual(['smime-encryption']);
    expect(uses(smime)).toEqual(['smime']);
  });

  it('lists every EKU it knows, most specific first', () => {
    expect(uses({ extKeyUsage: { clientAuth: true } })).toEqual(['client-auth']);
    expect(uses({ extKeyUsage: { serverAuth: true } })).toEqual(['server-auth']);
    expect(uses({ extKeyUsage: { codeSigning: true } })).toEqual(['code-signing']);
    expect(uses({ extKeyUsage: { emailProtection: true, clientAuth: true } })).toEqual(['smime', 'client-auth']);
  });

  it('an e-mail address without EKU is S/MIME; nothing said is nothing named; a CA is nobody’s certificate', () => {
    expect(uses({ email: 'a@b.test', keyUsage: { digitalSignature: true } })).toEqual(['smime-signing']);
    expect(uses({})).toEqual([]);
    expect(uses({ ca: true, keyUsage: { keyCertSign: true }, extKeyUsage: { clientAuth: true } })).toEqual([]);
  });
});

describe('the file store reports uses and historical', () => {
  it('on add, on list, and for an index written before uses were kept', async () => {
    const store = new FileStore(path.join(dir, 'files'));
    const cert = mintCert({ cn: 'Alice', key, extKeyUsage: { emailProtection: true }, email: 'alice@b.test' });
    const added = await store.add({ certPem: cert.pem, keyPem: key.keyPem, chainPem: [], label: 'Alice', historical: true });
    expect(added).toMatchObject({ uses: ['smime'], historical: true });
    // An index from before: its entries have no uses; the store reads them again from the folder.
    const indexFile = path.join(store.dir, 'index.json');
    const index = JSON.parse(await fs.readFile(indexFile, 'utf8')) as { entries: Record<string, { uses?: unknown }> };
    for (const e of Object.values(index.entries)) delete e.uses;
    await fs.writeFile(indexFile, JSON.stringify(index));
    const [listed] = await new FileStore(store.dir).list();
    expect(listed).toMatchObject({ uses: ['smime'], historical: true, label: 'Alice' });
  });
});
