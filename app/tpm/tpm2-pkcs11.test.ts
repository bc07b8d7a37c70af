/**
 * The TPM's PKCS#11 token without a TPM: when it is not used, how the store's objects are read, and which tpm2_ptool
 * commands each state of the token's PINs leads to (tpm-enroll.test.ts runs them against swtpm).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingRunner, type CommandSpec } from '../system/command-runner';
import { MemorySecretStore } from '../system/secret-store';
import { objectOf, tokenPinsSecretName, Tpm2Pkcs11Token } from './tpm2-pkcs11';

const token = (modulePath: string, PATH?: string) =>
  new Tpm2Pkcs11Token({
    runner: new RecordingRunner(() => ({ code: 0, stdout: '', stderr: '' })),
    storeDir: '/nonexistent/store',
    secrets: new MemorySecretStore(),
    modulePath,
    ...(PATH !== undefined ? { env: { PATH } } : {}),
  });

describe('Tpm2Pkcs11Token', () => {
  it('is not used without the module or tpm2_ptool, and says which package to install', async () => {
    expect(await token('/nonexistent/libtpm2_pkcs11.so').unavailable()).toMatch(
      /libtpm2_pkcs11.so is not installed \(apt install libtpm2-pkcs11-1/,
    );
    // A module file that exists, but no tpm2_ptool on PATH.
    expect(await token(import.meta.filename, path.dirname(import.meta.filename)).unavailable()).toMatch(
      /tpm2_ptool is not installed \(apt install libtpm2-pkcs11-tools\)/,
    );
  });

  it('points tpm2_ptool and the module at its store and at the TPM tpm2-tools use', () => {
    const t = new Tpm2Pkcs11Token({
      runner: new RecordingRunner(() => ({ code: 0, stdout: '', stderr: '' })),
      storeDir: '/s',
      secrets: new MemorySecretStore(),
      env: { TPM2TOOLS_TCTI: 'swtpm:port=1' },
    });
    expect(t.env).toEqual({ TPM2TOOLS_TCTI: 'swtpm:port=1', TPM2_PKCS11_TCTI: 'swtpm:port=1', TPM2_PKCS11_STORE: '/s' });
  });

  it("reads an object's class and label from tpm2-pkcs11's attribute map", () => {
    // As tpm2_ptool 1.9 writes a certificate object (CKA_CLASS 0 = CKO_CERTIFICATE 1, CKA_LABEL 3 in hex).
    const attrs =
      '---\n!!map {\n  ? !!int "0"\n  : !!int "1",\n  ? !!int "1"\n  : !!bool "true",\n  ? !!int "3"\n  : !!str "414243",\n}\n';
    expect(objectOf('7', attrs)).toEqual({ id: '7', cls: '1', label: 'ABC' });
  });
});

describe("the token's user PIN", () => {
  let storeDir: string;
  beforeAll(async () => {
    storeDir = await mkdtemp(path.join(tmpdir(), 'kt-p11-unit-'));
    await writeFile(path.join(storeDir, 'tpm2_pkcs11.sqlite3'), ''); // sqlite3 itself is the recorded runner below
  });
  afterAll(() => rm(storeDir, { recursive: true, force: true }));

  // tpm2_ptool 1.9 writes a token's config as canonical YAML (yaml.dump(config, canonical=True)).
  const yamlConfig = (emptyUserPin: boolean) =>
    `---\n!!map {\n${emptyUserPin ? '  ? !!str "empty-user-pin"\n  : !!bool "true",\n' : ''}` +
    '  ? !!str "pss-sigs-good"\n  : !!bool "true",\n  ? !!str "token-init"\n  : !!bool "true",\n}\n';
  /** A store with the tpm2-tools-default primary and, when `config` is given, the KeyTalk token (no objects). */
  const setUp = async (config: string | undefined, saved?: Record<string, string>) => {
    const rows = [{ pid: 1, pconfig: '{"transient": true, "template-name": "tpm2-tools-default"}' }].map((r) => ({
      ...r,
      token: config === undefined ? null : 'KeyTalk',
      tconfig: config ?? null,
      oid: null,
      attrs: null,
    }));
    const runner = new RecordingRunner((spec: CommandSpec) => ({
      code: 0,
      stdout: spec.command === 'sqlite3' ? JSON.stringify(rows) : '',
      stderr: '',
    }));
    const secrets = new MemorySecretStore();
    if (saved) await secrets.set(tokenPinsSecretName(storeDir), JSON.stringify(saved));
    const token = new Tpm2Pkcs11Token({ runner, storeDir, secrets });
    const key = { handle: '0x81008000', wrapped: { public: 'AAE=', private: 'AAI=' } };
    await token.add('AB12', key, '-----BEGIN CERTIFICATE-----\n');
    const ptool = runner.calls
      .filter((c) => c.command === 'tpm2_ptool')
      .map((c) => c.args.slice(0, 1).concat(c.args.slice(1).filter((a) => /^--(old|new|sopin|userpin)\b/.test(a))));
    const secret = JSON.parse((await secrets.get(tokenPinsSecretName(storeDir)))!) as Record<string, string>;
    return { ptool, secret };
  };

  it('a token with an empty user PIN is used as it is: link (empty PIN) and addcert, nothing made again', async () => {
    const { ptool, secret } = await setUp(yamlConfig(true), { so: 'S0' });
    expect(ptool).toEqual([['link', '--userpin='], ['addcert']]);
    expect(secret).toEqual({ so: 'S0' });
  });

  it('a token made with a generated user PIN gets an empty one with the kept PIN; the secret keeps the SO PIN only', async () => {
    // The PIN starts with '-': passed as --old=… so tpm2_ptool's argparse does not take it for an option.
    const { ptool, secret } = await setUp(yamlConfig(false), { user: '-kept', so: 'S0' });
    expect(ptool).toEqual([['changepin', '--old=-kept', '--new='], ['link', '--userpin='], ['addcert']]);
    expect(secret).toEqual({ so: 'S0' });
  });

  it('a token whose user PIN is unknown and not empty is made again with an empty one and a new SO PIN', async () => {
    const { ptool, secret } = await setUp(yamlConfig(false));
    expect(secret).toEqual({ so: expect.stringMatching(/^[\w-]{24}$/) });
    expect(ptool).toEqual([['rmtoken'], ['addtoken', `--sopin=${secret.so}`, '--userpin='], ['link', '--userpin='], ['addcert']]);
  });
});
