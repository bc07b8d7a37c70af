import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { updateHooks, readHooks } from '../hooks/hooks-file';
import { MemorySecretStore } from '../system/secret-store';
import { createAgent, type AgentRuntime } from './index';
import { enrollWithPassword, importRccdFile, nextEvent } from '../../test-support/agent/agent-helpers';

/**
 * Issue 18: the desktop app's core runs a certificate's hooks around an unattended renewal just as the daemon does
 * (app/scheduler/renewal-hooks.ts): the pre-hook before the renewal's request, the post-hook after it, both real
 * `sh` commands; a failing post-hook reaches the UI as the renewal notice popup (kind hook-failed) and in status.
 */
let kt: TempSimulator;
let agent: AgentRuntime;
let home: string;

beforeAll(async () => {
  kt = await startTempSimulator('kt-hooks-', {
    providers: [
      {
        name: 'Acme',
        // Eight-second certificates renewed six seconds before expiry: due about two seconds after issue.
        services: [{ name: 'SHORT', credentials: ['USERID', 'PASSWD'], cert: { lifetime: '8s', certExpirationMargin: 6 } }],
        users: [{ id: 'erin', password: 'pw' }],
      },
    ],
  });
  home = path.join(kt.dir, 'home');
  agent = createAgent({
    home,
    userHome: path.join(kt.dir, 'user'),
    secretStore: new MemorySecretStore(),
    mail: false,
    engine: { sleep: async () => {} },
  });
  await agent.start();
});
afterAll(async () => {
  await agent?.stop();
  await kt?.stop();
});

const envOf = (file: string) =>
  Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('KEYTALK_'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

describe('renewal hooks in the desktop core', () => {
  it('runs the pre-hook before and the post-hook after a scheduled renewal; a failing post-hook is announced', async () => {
    await importRccdFile(agent, kt.sim.rccds.Acme!);
    const first = await enrollWithPassword(agent, {
      provider: 'Acme',
      service: 'SHORT',
      user: 'erin',
      password: 'pw',
      remember: true,
    });
    expect(first.status).toBe('issued');
    if (first.status !== 'issued') return;
    const pre = path.join(kt.dir, 'pre.env');
    const post = path.join(kt.dir, 'post.env');
    // What `keytalk-agent hooks set` writes; the post-hook records its environment, then fails like a broken reload.
    await updateHooks(home, () => [
      {
        sha256: first.sha256Fingerprint,
        provider: 'Acme',
        service: 'SHORT',
        preHook: `env > '${pre}'`,
        postHook: `env > '${post}'; echo reload failed >&2; exit 3`,
        timeoutSeconds: 10,
      },
    ]);

    const popup = await nextEvent(agent, 'popup:open', (p) => p.data.kind === 'hook-failed');
    const renewed = (await agent.handlers['certs:list']({})).find(
      (c) => c.sha256Fingerprint !== first.sha256Fingerprint && !c.replacedBy,
    );
    expect(renewed).toBeDefined();
    expect(popup).toMatchObject({ popup: 'unattended-renewal', data: { provider: 'Acme', service: 'SHORT' } });
    expect(String(popup.data.message)).toContain('exit status 3');
    // The same coded for the window's languages (the exit status as a value).
    expect(popup.data.text).toMatchObject({
      code: 'renewal.popup-hook-failed',
      params: { service: 'SHORT', problem: { code: 'renewal.hook-failed', params: { status: '3' } } },
    });

    // The pre-hook saw the certificate about to be replaced, the post-hook the new one.
    expect(envOf(pre)).toMatchObject({
      KEYTALK_SHA256: first.sha256Fingerprint.toUpperCase(),
      KEYTALK_SERVICE: 'SHORT',
      KEYTALK_PROVIDER: 'Acme',
    });
    const postEnv = envOf(post);
    expect(postEnv).toMatchObject({ KEYTALK_SERVICE: 'SHORT', KEYTALK_PROVIDER: 'Acme' });
    expect(postEnv.KEYTALK_SHA256).not.toBe(first.sha256Fingerprint.toUpperCase());
    expect(popup.data.hookCertificate).toBe(postEnv.KEYTALK_SHA256);
    if (postEnv.KEYTALK_CERT_FILE) expect(readFileSync(postEnv.KEYTALK_CERT_FILE, 'utf8')).toContain('BEGIN CERTIFICATE');

    // Recorded for status: the hook moved to the successor with its failure; the renewal stands.
    const hook = (await readHooks(home)).find((h) => h.sha256 === postEnv.KEYTALK_SHA256);
    expect(hook).toMatchObject({ failures: 1, last: { phase: 'post', trigger: 'renewal', exitCode: 3 } });
    expect(hook?.last?.output).toContain('reload failed');
  }, 60_000);
});
