import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWsBridge } from './ws-bridge';

/** The browser host refusing the socket (wrong or missing token): it closes without ever opening. */
class RefusedSocket extends EventTarget {
  static urls: string[] = [];
  constructor(url: string) {
    super();
    RefusedSocket.urls.push(url);
    setTimeout(() => this.dispatchEvent(new Event('close')), 0);
  }
  send() {}
}

describe('the browser bridge when the agent refuses the page', () => {
  afterEach(() => vi.unstubAllGlobals());
  const loc = (hash: string) => ({ host: '127.0.0.1:1', protocol: 'http:', hash });

  it('without a token in the link: says to open the link the agent printed', async () => {
    vi.stubGlobal('WebSocket', RefusedSocket);
    await expect(createWsBridge(loc('')).invoke('agent:get-state', {})).rejects.toThrow(/open the link the agent printed/i);
  });

  it('with a token the agent does not accept: says an older link no longer works', async () => {
    vi.stubGlobal('WebSocket', RefusedSocket);
    await expect(createWsBridge(loc('#token=old')).invoke('agent:get-state', {})).rejects.toThrow(/older link no longer works/);
    expect(RefusedSocket.urls.at(-1)).toMatch(/token=old$/);
  });
});
