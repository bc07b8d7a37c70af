import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, issueCertificate } from '../../test-support/crypto/test-pki';
import { makeRccdV1, type RccdCas } from '../../test-support/rccd/make-rccd';
import { dispatch } from '../ipc/dispatcher';
import { MemorySecretStore } from '../system/secret-store';
import { createAgent, type AgentRuntime } from './index';

// Issue 22 "RCCD trust": a v1 RCCD vouches for itself, so the app asks before importing it, as the CLI does with
// --accept-unsigned. Through the window's channel that is an answer, not a failure: nothing is stored until the
// same request comes back with acceptUnsigned (issue 17: a real KeyTalk v1 RCCD must still import in the app).

let cas: RccdCas;
let home: string;
let agent: AgentRuntime;

beforeAll(async () => {
  const pki = await createTestPki('Confirm Trust');
  const signing = await issueCertificate(pki.primary, { cn: 'Confirm Signing CA', isCa: true, keyPem: pki.server.keyPem });
  const server = await issueCertificate(pki.primary, { cn: 'Confirm Server CA', isCa: true, keyPem: pki.root.keyPem });
  cas = { root: pki.root, primary: pki.primary, signing, server };
  home = mkdtempSync(path.join(os.tmpdir(), 'kt-rccd-confirm-'));
  agent = createAgent({
    home,
    userHome: `${home}.user`,
    secretStore: new MemorySecretStore(),
    engine: { sleep: async () => {} },
  });
});
afterAll(async () => {
  await agent?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('providers:import-rccd with a v1 RCCD that vouches for itself', () => {
  it('answers with the reasons and stores nothing; the confirmed request imports it', async () => {
    const data = (await makeRccdV1({ cas, unsigned: true })).toString('base64');
    const asked = await dispatch(agent.handlers, 'providers:import-rccd', { fileName: 'v1.rccd', dataBase64: data });
    expect(asked).toMatchObject({
      ok: true,
      value: {
        needsConfirmation: [expect.stringMatching(/unsigned/)],
        needsConfirmationTexts: [{ code: 'rccd.unsigned', message: expect.stringMatching(/unsigned/) }],
      },
    });
    expect((await agent.handlers['agent:get-state']({})).providers).toEqual([]);

    const confirmed = await dispatch(agent.handlers, 'providers:import-rccd', {
      fileName: 'v1.rccd',
      dataBase64: data,
      acceptUnsigned: true,
    });
    expect(confirmed).toMatchObject({ ok: true, value: { name: expect.any(String), kind: 'keytalk' } });
    expect((await agent.handlers['agent:get-state']({})).providers).toHaveLength(1);
  });

  it('still fails, as before, for a file that is not an RCCD at all; the refusal is coded for the UI (issue 19)', async () => {
    const r = await dispatch(agent.handlers, 'providers:import-rccd', { fileName: 'x.rccd', dataBase64: 'UEsDBA==' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.text).toMatchObject({ code: 'rccd.not-rccd', params: { file: 'x.rccd' } });
  });

  it('an older copy of an installed provider is refused as not newer, with both versions (issue 19)', async () => {
    const data = (await makeRccdV1({ cas, unsigned: true })).toString('base64');
    const again = await dispatch(agent.handlers, 'providers:import-rccd', {
      fileName: 'v1.rccd',
      dataBase64: data,
      acceptUnsigned: true,
    });
    expect(again.ok).toBe(false);
    expect(!again.ok && again.error.text).toMatchObject({
      code: 'rccd.not-newer',
      params: { name: expect.any(String), installed: expect.any(Number), offered: expect.any(Number) },
    });
  });
});
