import { execFileSync, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import JSZip from 'jszip';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import type { EventChannel, EventOf } from '../ipc/contract';
import { dispatch } from '../ipc/dispatcher';
import { enrollments } from '../engine/state';
import { MemorySecretStore } from '../system/secret-store';
import { createAgent, disclaimerPreview, type AgentRuntime } from './index';
import { nextEvent } from '../../test-support/agent/agent-helpers';
import { defaultStoreIds } from '../stores/default-stores';

/** The agent core through its IPC handlers (what the tray UI uses), against the simulator over HTTPS. */
let kt: TempSimulator;
let agent: AgentRuntime;
const events: { channel: EventChannel; payload: unknown }[] = [];

beforeAll(async () => {
  kt = await startTempSimulator('kt-agent-', {
    providers: [
      {
        name: 'Acme',
        services: [
          { name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} },
          { name: 'OTP', credentials: ['USERID', 'PASSWD', 'OTP'], cert: {} },
        ],
        users: [{ id: 'alice', password: 's3cret', otp: '123123', messages: [{ text: 'hi', utc: '2026-03-01T00:00:00Z' }] }],
      },
    ],
  });
  agent = createAgent({
    home: path.join(kt.dir, 'home'),
    userHome: path.join(kt.dir, 'user'),
    secretStore: new MemorySecretStore(),
    engine: { sleep: async () => {} },
  });
  agent.onEvent((channel, payload) => events.push({ channel, payload }));
});
afterAll(async () => {
  await agent?.stop();
  await kt?.stop();
});

describe('agent core over the IPC contract', () => {
  it('imports an RCCD (validated request), lists the provider in the state', async () => {
    const data = await fs.readFile(kt.sim.rccds.Acme!);
    const r = await dispatch(agent.handlers, 'providers:import-rccd', {
      fileName: 'Acme.rccd',
      dataBase64: data.toString('base64'),
    });
    expect(r).toMatchObject({ ok: true, value: { name: 'Acme', services: [{ name: 'PASSWD' }, { name: 'OTP' }] } });
    const state = await agent.handlers['agent:get-state']({});
    expect(state.providers.map((p) => p.name)).toEqual(['Acme']);
    expect(state.status).toBe('idle');
  });

  it('enroll:start → flow:prompt events answered with flow:answer → flow:done; certs:list and messages', async () => {
    const prompt1 = nextEvent(agent, 'flow:prompt');
    const { flowId } = await agent.handlers['enroll:start']({ provider: 'Acme', service: 'OTP', format: 'P12' });
    const p1 = await prompt1;
    expect(p1).toMatchObject({ flowId, prompt: { kind: 'credentials', offerRemember: true } });
    expect((await agent.handlers['agent:get-state']({})).status).toBe('attention');
    // A wrong-kind answer is refused, the flow keeps waiting.
    expect(await dispatch(agent.handlers, 'flow:answer', { flowId, answer: { kind: 'otp', otp: '1' } })).toMatchObject({
      ok: false,
    });
    const prompt2 = nextEvent(agent, 'flow:prompt', (p) => p.prompt.kind === 'otp');
    const done = nextEvent(agent, 'flow:done', (p) => p.flowId === flowId);
    await agent.handlers['flow:answer']({
      flowId,
      answer: { kind: 'credentials', values: { USERID: 'alice', PASSWD: 's3cret' }, remember: true },
    });
    await prompt2;
    await agent.handlers['flow:answer']({ flowId, answer: { kind: 'otp', otp: '123123' } });
    const outcome = (await done).outcome;
    expect(outcome).toMatchObject({ status: 'issued', provider: 'Acme', service: 'OTP', stores: defaultStoreIds() });
    expect(events.some((e) => e.channel === 'flow:progress')).toBe(true);
    const certs = await agent.handlers['certs:list']({});
    expect(certs.filter((c) => c.provider)).toEqual([
      expect.objectContaining({ provider: 'Acme', service: 'OTP', stores: defaultStoreIds() }),
    ]);
    const msgs = await agent.handlers['messages:list']({});
    expect(msgs).toContainEqual(expect.objectContaining({ text: 'hi', read: false }));
    await agent.handlers['messages:mark-read']({ ids: msgs.map((m) => m.id) });
    expect((await agent.handlers['agent:get-state']({})).unreadMessages).toBe(0);
  });

  it('certs:export writes a P12 with the typed password that OpenSSL opens (and refuses with a wrong one)', async () => {
    const [cert] = await agent.handlers['certs:list']({});
    const r = await dispatch(agent.handlers, 'certs:export', { sha256Fingerprint: cert!.sha256Fingerprint, password: 'short' });
    expect(r).toMatchObject({ ok: false });
    const out = await agent.handlers['certs:export']({ sha256Fingerprint: cert!.sha256Fingerprint, password: 'export-pass-1' });
    expect(out.fileName).toMatch(/\.p12$/);
    const file = path.join(kt.dir, 'export.p12');
    await fs.writeFile(file, Buffer.from(out.dataBase64, 'base64'));
    const pem = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:export-pass-1', '-noenc'], { encoding: 'utf8' });
    expect(pem).toContain('BEGIN PRIVATE KEY');
    const leaf = new X509Certificate(pem.slice(pem.indexOf('-----BEGIN CERTIFICATE-----')));
    expect(leaf.fingerprint256.replace(/:/g, '')).toBe(cert!.sha256Fingerprint);
    expect(() =>
      execFileSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:wrong-pass', '-noenc'], { stdio: 'pipe' }),
    ).toThrow();
    await expect(
      agent.handlers['certs:export']({ sha256Fingerprint: 'AB'.repeat(32), password: 'export-pass-1' }),
    ).rejects.toThrow(/no store that can export/);
  });

  it('app:about, approvals:list, logs:open-folder and disclaimers:list answer from the home', async () => {
    const about = await agent.handlers['app:about']({});
    expect(about).toMatchObject({ agent: '0.1.0', node: process.versions.node, license: 'Apache-2.0' });
    expect(about.rcdpVersions).toContain('2.8.3');
    expect(await agent.handlers['approvals:list']({})).toEqual([]);
    expect(await agent.handlers['logs:open-folder']({})).toEqual({ path: path.join(agent.home, 'logs'), opened: false });
    expect(await agent.handlers['disclaimers:list']({})).toEqual([]);
    // This core was never started: "Check now" says why it cannot run instead of pretending it checked.
    await expect(agent.handlers['disclaimers:check']({})).rejects.toThrow(/scheduler is not running; restart the agent/);
  });

  it('disclaimerPreview is plain text: signature.txt, else the HTML without tags; a bad package says so', async () => {
    const zip = new JSZip();
    zip.file('signature.htm', '<p>Confidential &amp; <b>private</b><script>alert(1)</script></p><p>Acme</p>');
    const b64 = (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64');
    const preview = disclaimerPreview(b64);
    expect(preview).toContain('Confidential & private');
    expect(preview).toContain('Acme');
    expect(preview).not.toMatch(/[<>]|alert/);
    zip.file('signature.txt', 'Plain words');
    expect(disclaimerPreview((await zip.generateAsync({ type: 'nodebuffer' })).toString('base64'))).toBe('Plain words');
    expect(disclaimerPreview('not a zip')).toMatch(/^\(the disclaimer package cannot be shown/);
  });

  it('flow:cancel ends a flow waiting for a prompt with code cancelled; flow:current gives the open prompt until then', async () => {
    expect(await agent.handlers['flow:current']({})).toEqual({});
    const prompt = nextEvent(agent, 'flow:prompt');
    const { flowId } = await agent.handlers['enroll:start']({ provider: 'Acme', service: 'PASSWD' });
    const sent = await prompt;
    // A window that opened after the event (tray, reload, second tab) gets the same prompt, and whom it is for.
    expect(await agent.handlers['flow:current']({})).toEqual({ waiting: sent });
    expect(sent).toMatchObject({
      flowId,
      provider: 'Acme',
      service: 'PASSWD',
      purpose: 'enroll',
      prompt: { kind: 'credentials' },
    });
    const done = nextEvent(agent, 'flow:done', (p) => p.flowId === flowId);
    await agent.handlers['flow:cancel']({ flowId });
    expect((await done).outcome).toMatchObject({ status: 'failed', code: 'cancelled' });
    expect(await agent.handlers['flow:current']({})).toEqual({});
    // Issue 19: the prompt says what the flow is for, so the header names a password change rather than "an enrollment".
    const pwPrompt = nextEvent(agent, 'flow:prompt');
    const pw = await agent.handlers['password:change']({ provider: 'Acme', service: 'PASSWD' });
    expect(await pwPrompt).toMatchObject({ flowId: pw.flowId, purpose: 'password-change' });
    expect((await agent.handlers['flow:current']({})).waiting?.purpose).toBe('password-change');
    const pwDone = nextEvent(agent, 'flow:done', (p) => p.flowId === pw.flowId);
    await agent.handlers['flow:cancel']({ flowId: pw.flowId });
    expect((await pwDone).outcome).toMatchObject({ status: 'failed', code: 'cancelled' });
  });

  it('renewSilently uses the remembered credentials and never prompts; the OTP service needs the user', async () => {
    const enrolled = (await agent.handlers['certs:list']({}))[0]!;
    // OTP services cannot renew unattended: the one-time password needs a person.
    expect(await agent.renewSilently(enrolled.sha256Fingerprint)).toMatchObject({ status: 'failed', code: 'needs-input' });
    // A PASSWD enrollment with "remember" renews silently.
    const prompt = nextEvent(agent, 'flow:prompt');
    const { flowId } = await agent.handlers['enroll:start']({ provider: 'Acme', service: 'PASSWD' });
    await prompt;
    const done = nextEvent(agent, 'flow:done', (p) => p.flowId === flowId);
    await agent.handlers['flow:answer']({
      flowId,
      answer: { kind: 'credentials', values: { USERID: 'alice', PASSWD: 's3cret' }, remember: true },
    });
    const first = (await done).outcome;
    expect(first.status).toBe('issued');
    if (first.status !== 'issued') return;
    const renewed = await agent.renewSilently(first.sha256Fingerprint);
    expect(renewed).toMatchObject({ status: 'issued', provider: 'Acme', service: 'PASSWD' });
    if (renewed.status === 'issued') expect(renewed.sha256Fingerprint).not.toBe(first.sha256Fingerprint);
  });

  it("certs:renew's sign-in says it is for a renewal (the header names it so, issue 19); cancelled, nothing issued", async () => {
    // The OTP certificate: a one-time password is never remembered, so the renewal must ask.
    const otp = (await agent.handlers['certs:list']({})).find((c) => c.service === 'OTP' && !c.replacedBy)!;
    const prompt = nextEvent(agent, 'flow:prompt');
    const { flowId } = await agent.handlers['certs:renew']({ sha256Fingerprint: otp.sha256Fingerprint });
    expect(await prompt).toMatchObject({ flowId, purpose: 'renew', provider: 'Acme', service: 'OTP' });
    expect((await agent.handlers['flow:current']({})).waiting).toMatchObject({ flowId, purpose: 'renew' });
    const done = nextEvent(agent, 'flow:done', (p) => p.flowId === flowId);
    await agent.handlers['flow:cancel']({ flowId });
    expect((await done).outcome).toMatchObject({ status: 'failed', code: 'cancelled' });
  });

  it('certs:renew while another process renews the same certificate: told who is busy, nothing issued (issue 22)', async () => {
    const old = (await agent.handlers['certs:list']({})).find((c) => c.service === 'PASSWD' && !c.replacedBy)!;
    const before = (await agent.handlers['certs:list']({})).length;
    // A real lock file, held by a child process as a daemon's renewal would hold it.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('${path.resolve(__dirname, '../system/home-lock.ts')}').then((m) => m.withRenewalLock(${JSON.stringify(path.join(agent.home, 'state'))}, '${old.sha256Fingerprint}', () => { console.log('held'); return new Promise(() => setInterval(() => {}, 1000)); }))`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve()));
      await expect(agent.handlers['certs:renew']({ sha256Fingerprint: old.sha256Fingerprint })).rejects.toThrow(
        /another KeyTalk Agent process \(pid \d+.*renewal of certificate/,
      );
      await expect(agent.handlers['certs:remove']({ sha256Fingerprint: old.sha256Fingerprint })).rejects.toThrow(/busy/);
      expect((await agent.handlers['certs:list']({})).length).toBe(before);
    } finally {
      // SIGTERM: the holder releases its lock on the way out (a SIGKILLed one would block the next test until stale).
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('certs:renew (interactive) retires the old certificate before flow:done, so the UI never lists both', async () => {
    const before = await agent.handlers['certs:list']({});
    const old = before.find((c) => c.service === 'PASSWD')!;
    // The password may be remembered from the test above; answer a sign-in prompt only if one comes.
    let flowId = '';
    const purposes: unknown[] = [];
    const done = new Promise<EventOf<'flow:done'>>((resolve) => {
      const off = agent.onEvent((c: EventChannel, payload: unknown) => {
        if (c === 'flow:prompt') {
          const p = payload as EventOf<'flow:prompt'>;
          purposes.push(p.purpose);
          void agent.handlers['flow:answer']({
            flowId: p.flowId,
            answer: { kind: 'credentials', values: { USERID: 'alice', PASSWD: 's3cret' } },
          });
        }
        if (c === 'flow:done' && (payload as EventOf<'flow:done'>).flowId === flowId) {
          off();
          resolve(payload as EventOf<'flow:done'>);
        }
      });
    });
    flowId = (await agent.handlers['certs:renew']({ sha256Fingerprint: old.sha256Fingerprint })).flowId;
    const outcome = (await done).outcome;
    expect(outcome.status).toBe('issued');
    // A sign-in it asked for (if any) said it is for a renewal; the test above asks for one for certain.
    expect(purposes.every((p) => p === 'renew')).toBe(true);
    // Read at flow:done time: the old one is already gone, the new one is there, the count is unchanged; the old
    // one is listed only as a previous certificate (replacedBy the new one, in no store).
    const all = await agent.handlers['certs:list']({});
    const after = all.filter((c) => !c.replacedBy);
    expect(after.map((c) => c.sha256Fingerprint)).not.toContain(old.sha256Fingerprint);
    if (outcome.status === 'issued') {
      expect(after.map((c) => c.sha256Fingerprint)).toContain(outcome.sha256Fingerprint);
      // The new record names the certificate it replaces, as the CLI's renew does: a crash before the switch-over
      // is finished at the next start instead of leaving both (issue 22).
      expect((await enrollments.get(agent.home, outcome.sha256Fingerprint))?.replaces).toBe(old.sha256Fingerprint.toUpperCase());
      expect(all.find((c) => c.sha256Fingerprint === old.sha256Fingerprint)).toMatchObject({
        replacedBy: outcome.sha256Fingerprint,
        stores: [],
      });
    }
    expect(after).toHaveLength(before.filter((c) => !c.replacedBy).length);
  });

  it('certs:remove and providers:remove', async () => {
    const certs = await agent.handlers['certs:list']({});
    await agent.handlers['certs:remove']({ sha256Fingerprint: certs[0]!.sha256Fingerprint });
    expect((await agent.handlers['certs:list']({})).length).toBe(certs.length - 1);
    await agent.handlers['providers:remove']({ name: 'Acme' });
    expect((await agent.handlers['agent:get-state']({})).providers).toEqual([]);
  });
});
