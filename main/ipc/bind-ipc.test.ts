import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryCore } from '../../test-support/ipc/memory-core';
import { MAX_MESSAGE_BYTES } from '../../app/ipc/contract';
import { EVENT_TRANSPORT, INVOKE_TRANSPORT } from '../../app/ipc/transport';
import { isTrustedSender, type SenderFrame } from '../security/trusted-sender';
import { bindIpc, fanOutEvents } from './bind-ipc';

const home = mkdtempSync(path.join(os.tmpdir(), 'kt-bind-ipc-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const rendererDir = path.join(home, 'renderer');

type Handler = (event: { senderFrame: SenderFrame | null }, envelope: unknown) => Promise<unknown>;

function setup() {
  const registered = new Map<string, Handler>();
  const ipcMain = {
    handle: (channel: string, fn: Handler) => void registered.set(channel, fn),
    removeHandler: (channel: string) => void registered.delete(channel),
  };
  const core = createMemoryCore(home);
  const unbind = bindIpc({
    ipcMain: ipcMain as never,
    handlers: core.handlers,
    isTrustedSender: (frame) => isTrustedSender(frame, rendererDir),
  });
  const appFrame: SenderFrame = { url: 'app://keytalk/index.html', parent: null };
  const call = (envelope: unknown, frame: SenderFrame | null = appFrame) =>
    registered.get(INVOKE_TRANSPORT)!({ senderFrame: frame }, envelope);
  return { registered, unbind, call, core };
}

describe('bindIpc', () => {
  it('answers a valid request from the app origin with the core result', async () => {
    const { call } = setup();
    const res = (await call({ channel: 'agent:get-state', payload: {} })) as { ok: boolean; value: { home: string } };
    expect(res.ok).toBe(true);
    expect(res.value.home).toBe(home);
  });

  it('rejects an unknown channel with a typed error', async () => {
    const { call } = setup();
    expect(await call({ channel: 'shell:exec', payload: {} })).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });

  it('rejects a malformed payload with a typed error', async () => {
    const { call } = setup();
    const res = await call({ channel: 'settings:set', payload: { logLevel: 'loud' } });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect((res as { error: { message: string } }).error.message).toContain('logLevel');
  });

  it('rejects an oversize payload before validating it', async () => {
    const { call } = setup();
    const big = 'A'.repeat(MAX_MESSAGE_BYTES + 10);
    const res = await call({ channel: 'providers:import-rccd', payload: { fileName: 'x.rccd', dataBase64: big } });
    expect(res).toMatchObject({ ok: false, error: { code: 'payload-too-large' } });
  });

  it('rejects a foreign sender, an iframe and a missing frame', async () => {
    const { call } = setup();
    const envelope = { channel: 'agent:get-state', payload: {} };
    expect(await call(envelope, { url: 'https://evil.example/', parent: null })).toMatchObject({
      ok: false,
      error: { code: 'forbidden-sender' },
    });
    expect(await call(envelope, { url: 'app://keytalk/index.html', parent: {} })).toMatchObject({
      error: { code: 'forbidden-sender' },
    });
    expect(await call(envelope, { url: 'file:///etc/passwd', parent: null })).toMatchObject({
      error: { code: 'forbidden-sender' },
    });
    expect(await call(envelope, null)).toMatchObject({ error: { code: 'forbidden-sender' } });
  });

  it('accepts file:// pages inside the renderer folder', async () => {
    const { call } = setup();
    const url = `file://${path.join(rendererDir, 'index.html')}`;
    expect(await call({ channel: 'agent:get-state', payload: {} }, { url, parent: null })).toMatchObject({ ok: true });
  });

  it('survives a garbage envelope', async () => {
    const { call } = setup();
    expect(await call(null)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(await call('agent:get-state')).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });

  it('unbinds its handler', () => {
    const { registered, unbind } = setup();
    expect(registered.has(INVOKE_TRANSPORT)).toBe(true);
    unbind();
    expect(registered.size).toBe(0);
  });
});

describe('fanOutEvents', () => {
  it('sends core events to every live window and skips destroyed ones', async () => {
    const { core } = setup();
    const sent: unknown[][] = [];
    const live = { send: (...args: unknown[]) => void sent.push(args), isDestroyed: () => false };
    const dead = { send: () => expect.fail('sent to a destroyed window'), isDestroyed: () => true };
    const stop = fanOutEvents(core.onEvent, () => [live, dead]);
    await core.handlers['settings:set']({ logLevel: 'debug' });
    expect(sent[0]?.[0]).toBe(EVENT_TRANSPORT);
    expect(sent[0]?.[1]).toBe('agent:state');
    stop();
    await core.handlers['settings:set']({ logLevel: 'info' });
    expect(sent).toHaveLength(1);
  });
});
