import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from './file-store';
import { createStores, defaultStoreIds, describeStores, pickStore, storeCatalog } from './registry';

const home = mkdtempSync(path.join(os.tmpdir(), 'registry-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('store registry', () => {
  it('builds the file store in <home>/certs and describes it', async () => {
    const file = createStores({ home, enabled: ['file'] })[0]!;
    expect(file).toBeInstanceOf(FileStore);
    expect((file as FileStore).dir).toBe(path.join(home, 'certs'));
    const [d] = await describeStores([file]);
    expect(d).toMatchObject({ id: 'file', available: true, location: path.join(home, 'certs') });
    expect(pickStore([file], 'file')).toBe(file);
  });

  it('names unknown, duplicated and missing stores with the fix', () => {
    expect(() => createStores({ home, enabled: ['nope'] })).toThrow(/unknown certificate store "nope"; known stores: .*file/);
    expect(() => createStores({ home, enabled: ['file', 'file'] })).toThrow(/listed twice/);
    expect(() => pickStore([], 'file')).toThrow(/not enabled; enabled stores: none/);
  });

  it('builds the Windows and macOS stores for their platforms through the injected runner', async () => {
    const { RecordingRunner } = await import('../system/command-runner');
    const runner = new RecordingRunner(() => ({ code: 0, stdout: '', stderr: '' }));
    const win = createStores({ home, enabled: defaultStoreIds('win32'), platform: 'win32', runner });
    expect(win.map((s) => s.id)).toEqual(['file', 'windows-user']);
    expect(await win[1]!.list()).toEqual([]);
    expect(runner.calls[0]!.command).toBe('powershell.exe');
    const mac = createStores({
      home,
      enabled: ['macos-login', 'macos-system'],
      platform: 'darwin',
      runner,
      userHome: '/Users/zoe',
    });
    expect((await describeStores(mac)).map((d) => d.location)).toEqual([
      '/Users/zoe/Library/Keychains/login.keychain-db',
      '/Library/Keychains/System.keychain',
    ]);
    expect(() => createStores({ home, enabled: ['windows-user'], platform: 'linux' })).toThrow(/does not exist on linux/);
    expect(defaultStoreIds('linux')).toEqual(['file', 'nss']);
    expect(defaultStoreIds('darwin')).toEqual(['file', 'macos-login']);
  });

  it('always offers the file store by default', () => {
    for (const p of ['linux', 'win32', 'darwin'] as const) expect(defaultStoreIds(p)[0]).toBe('file');
    // A Linux server without libnss3-tools gets the file store only, not an NSS store that would fail every enrollment.
    expect(defaultStoreIds('linux', (tool) => tool !== 'pk12util')).toEqual(['file']);
    expect(storeCatalog('linux').map((e) => e.id)).toContain('file');
  });

  it('reports a store whose describe() throws as unavailable instead of failing the whole list', async () => {
    const broken = {
      id: 'x',
      describe: async () => {
        throw new Error('boom');
      },
    } as never;
    expect(await describeStores([broken])).toEqual([
      { id: 'x', name: 'x', location: '', usedBy: [], available: false, unavailableReason: 'boom' },
    ]);
  });
});
