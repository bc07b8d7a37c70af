import type { AgentCore } from '../../app/agent/agent-types';
import { isPreviousCertificate } from '../../app/model/previous-certificate';

/**
 * The tray's "Renew now": renew each current certificate the agent enrolled, one after another. Each renewal is a
 * flow no window started; its sign-in shows in whatever window is open (a window opened later takes it up through
 * flow:current), and when the last window closes the core cancels it (app/agent/ui-presence.ts). One at a time, so
 * two sign-ins never wait side by side, and the next only starts when the previous ended — issued, failed or
 * cancelled: a closed window cancels the one in progress and the next one asks again in the next window.
 * Previous certificates (replaced, or historical S/MIME ones kept to read old mail) and ones from no provider (found
 * in a store) are not renewed.
 */
export async function renewAll(core: Pick<AgentCore, 'handlers' | 'onEvent'>, log: (m: string) => void): Promise<void> {
  const ended = new Set<string>();
  const waiters = new Map<string, () => void>();
  const stop = core.onEvent((channel, payload) => {
    if (channel !== 'flow:done') return;
    const { flowId } = payload as { flowId: string };
    ended.add(flowId);
    waiters.get(flowId)?.();
  });
  try {
    const certs = (await core.handlers['certs:list']({})).filter((c) => !isPreviousCertificate(c) && c.provider && c.service);
    for (const cert of certs) {
      try {
        const { flowId } = await core.handlers['certs:renew']({ sha256Fingerprint: cert.sha256Fingerprint });
        if (!ended.has(flowId)) await new Promise<void>((resolve) => waiters.set(flowId, resolve));
      } catch (err) {
        log(`renew ${cert.subject}: ${(err as Error).message}`);
      }
    }
  } finally {
    stop();
  }
}
