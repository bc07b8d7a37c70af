import os from 'node:os';
import type { EngineDeps } from '../engine/enroll';
import type { Logger } from '../log/logger';
import type { PublicApiClient } from '../public-api/client';
import type { RenewalPolicyInputs } from './renewal-job';

export interface ProviderPolicyOptions {
  home: string;
  engine: EngineDeps;
  log: Logger;
  now: () => number;
  /** How long a fetched cert-expiration-margin is reused (default 1 h). */
  marginCacheMs?: number;
  /** Longest wait for one cert-expiration-margin answer (default 15 s); then the cached answer or the RCCD rule. */
  marginDeadlineMs?: number;
  /** Ends every Public API request made through these clients (the scheduler stopping). */
  signal?: () => AbortSignal;
}

/**
 * What the providers' servers tell the scheduler: a Public API client per provider, the inputs of the renewal
 * rule (a provider kind's own rule such as an Online CA's lifetime percentage, else cert-expiration-margin and
 * RCCD CertValidPercent) and the unattended popup text. Answers are cached for an hour, so a sync over many certificates asks each server once; a server
 * that does not answer falls back to the last answer (or the rule's next source), logged, never an error.
 */
export class ProviderPolicy {
  private readonly apis = new Map<string, Promise<PublicApiClient>>();
  private readonly margins = new Map<string, { at: number; value: number | undefined }>();
  private readonly templates = new Map<string, { at: number; value: string | undefined }>();

  constructor(private readonly o: ProviderPolicyOptions) {}

  /** Public API client for a provider, over its RCCD-pinned TLS agent. */
  publicApi = (provider: string): Promise<PublicApiClient> => {
    let p = this.apis.get(provider);
    if (!p) {
      // The engine, Public API client and store code load on first use so the idle daemon stays small (issue 7).
      p = Promise.all([this.o.engine.openProvider(provider), import('../public-api/client')]).then(
        ([c, m]) => new m.PublicApiClient({ baseUrl: `https://${c.server}`, agent: c.agent, signal: this.o.signal?.() }),
      );
      p.catch(() => this.apis.delete(provider));
      this.apis.set(provider, p);
    }
    return p;
  };

  /** The clients carry the stopped scheduler's signal: the next start makes new ones. */
  forgetClients(): void {
    this.apis.clear();
  }

  /**
   * Margin (Public API) else CertValidPercent (RCCD); a server that does not answer falls back, logged. The policy's
   * renewal floor goes with every answer: it is read per call (the policy watcher may have changed it) and applies
   * to every provider kind alike. `signal` ends the wait at once (the scheduler stopping): then the answer no
   * longer matters, so it throws.
   */
  async policyInputs(
    c: { provider: string; service: string; userId?: string },
    signal?: AbortSignal,
  ): Promise<RenewalPolicyInputs> {
    signal?.throwIfAborted();
    const { currentPolicy } = await import('../policy/load-policy');
    const floorDays = (await currentPolicy()).policy.renewalMarginFloorDays;
    const inputs = await this.sourceInputs(c, signal);
    return floorDays === undefined ? inputs : { ...inputs, floorDays };
  }

  private async sourceInputs(
    c: { provider: string; service: string; userId?: string },
    signal?: AbortSignal,
  ): Promise<RenewalPolicyInputs> {
    // A kind whose own record decides (Online CA: its lifetime percentage) has no server margin to ask for.
    const own = await this.o.engine.providerKinds?.renewalPolicy(c.provider).catch(() => undefined);
    if (own) return own;
    const key = `${c.provider}\n${c.service}\n${c.userId ?? ''}`;
    const ttl = this.o.marginCacheMs ?? 3_600_000;
    let cached = this.margins.get(key);
    if (!cached || this.o.now() - cached.at > ttl) {
      let value: number | undefined;
      try {
        const api = await this.publicApi(c.provider);
        // Bounded: a server that hangs costs this long at most, then the cached answer or the RCCD rule applies.
        value = await withDeadline(
          api.certExpirationMargin({
            service: c.service,
            user: c.userId,
            computerName: c.userId ? this.computerName() : undefined,
          }),
          this.o.marginDeadlineMs ?? 15_000,
          'cert-expiration-margin',
          signal,
        );
      } catch (err) {
        signal?.throwIfAborted();
        this.o.log.warn('cert-expiration-margin unavailable', {
          provider: c.provider,
          service: c.service,
          error: (err as Error).message,
        });
        value = cached?.value;
      }
      cached = { at: this.o.now(), value };
      this.margins.set(key, cached);
    }
    let certValidPercent: number | undefined;
    try {
      const conn = await this.o.engine.openProvider(c.provider);
      certValidPercent = conn.services.find((s) => s.name === c.service)?.certValidPercent;
    } catch {
      // provider removed: the renewal handler reports it when it runs
    }
    return { serverMarginSeconds: cached.value, certValidPercent };
  }

  /** The computer name sent with seat/user questions (keep-alive, margin); the engine's, else the host name. */
  computerName(): string {
    return (this.o.engine.computerName ?? os.hostname)();
  }

  /** The server's ktagent-unattended-popup-msg-template; undefined (our own text) when it has none or is down. */
  async popupTemplate(provider: string): Promise<string | undefined> {
    const cached = this.templates.get(provider);
    if (cached && this.o.now() - cached.at < 3_600_000) return cached.value;
    let value: string | undefined;
    try {
      value = await (await this.publicApi(provider)).unattendedPopupMessageTemplate();
    } catch (err) {
      this.o.log.info('no unattended popup template', { provider, error: (err as Error).message });
    }
    this.templates.set(provider, { at: this.o.now(), value });
    return value;
  }
}

/** `p`, or an error after `ms` or when `signal` aborts (the timer never keeps the process alive). */
function withDeadline<T>(p: Promise<T>, ms: number, what: string, signal?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
    timer.unref?.();
    onAbort = () => reject(signal?.reason instanceof Error ? signal.reason : new Error(`${what} stopped`));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([p, late]).finally(() => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  });
}
