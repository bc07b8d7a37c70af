import { describe, expect, it } from 'vitest';
import { withText } from '../model/core-text';
import { createMemoryCore } from '../../test-support/ipc/memory-core';
import { dispatch } from './dispatcher';
import { fromBridgeError, toBridgeError } from './error-text';

// Issue 19: a coded core error (app/model/core-text.ts) keeps its code and values across the dispatcher and the
// bridges — Electron's contextBridge keeps only an Error's message, so they ride in the "[code …]" prefix.

describe('coded errors across the bridge', () => {
  it('the dispatcher sends the code and values; the renderer reads them back beside the English message', async () => {
    const { handlers } = createMemoryCore();
    const message = 'autostart is managed by your organisation (policy key "lockedAutostart") and cannot be changed here';
    const result = await dispatch(
      {
        ...handlers,
        'settings:set': async () => {
          throw withText(new Error(message), 'policy.locked', { what: 'autostart', key: 'lockedAutostart' });
        },
      },
      'settings:set',
      { autostart: true },
    );
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'handler-failed',
        message,
        text: { code: 'policy.locked', params: { what: 'autostart', key: 'lockedAutostart' }, message },
      },
    });
    // What Electron's ipcRenderer.invoke rejects with after the preload threw it (the message, prefixed).
    const thrown = toBridgeError(!result.ok ? result.error : { code: 'x', message: '' });
    const received = new Error(`Error invoking remote method 'keytalk:invoke': ${String(thrown)}`);
    const back = fromBridgeError(received);
    expect(back.code).toBe('handler-failed');
    expect(back.message).toBe(message);
    expect(back.text).toEqual({ code: 'policy.locked', params: { what: 'autostart', key: 'lockedAutostart' }, message });
  });

  it('an uncoded error has no text; a garbled code costs only the translation', () => {
    expect(fromBridgeError(toBridgeError({ code: 'handler-failed', message: 'plain' }))).toMatchObject({
      message: 'plain',
      text: undefined,
    });
    const garbled = fromBridgeError(new Error('[handler-failed %7Bnot-json] the English sentence'));
    expect(garbled.message).toBe('the English sentence');
    expect(garbled.text).toBeUndefined();
  });
});
