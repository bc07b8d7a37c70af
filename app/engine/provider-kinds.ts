import path from 'node:path';
import { homeLayout } from '../config/home';
import type { ProviderSummary } from '../ipc/contract';
import { readJsonFile } from '../system/atomic-write';
import type { EnrollRequest } from './enroll-request';
import type { EnrollOutcome } from '../model/flow-types';
import type { FlowFrontEnd } from './front-end';
import type { ProviderKind, RenewalPolicy } from './provider-kind';

/** One registered kind: its provider.json `kind` and how to load its implementation (on first use). */
export interface ProviderKindEntry<D> {
  kind: ProviderSummary['kind'];
  load: () => Promise<ProviderKind<D>>;
}

/**
 * The provider kinds the agent core registered (app/agent/provider-wiring.ts), and the one place that decides
 * which kind serves a provider: the `kind` in <home>/providers/<name>/provider.json. The first entry is the default,
 * used for a provider without a readable record too, so "no such provider" is reported by the default kind.
 * Implementations load on first use, so a daemon that never meets an Online CA never loads its code.
 */
export class ProviderKinds<D> {
  constructor(
    private readonly home: string,
    private readonly entries: readonly [ProviderKindEntry<D>, ...ProviderKindEntry<D>[]],
  ) {}

  /** The implementation that serves provider `name`. */
  async of(name: string): Promise<ProviderKind<D>> {
    return (await this.entryOf(name)).load();
  }

  /** Every provider of every kind, kind by kind in registration order. */
  async list(): Promise<ProviderSummary[]> {
    const lists = await Promise.all(this.entries.map(async (e) => (await e.load()).list()));
    return lists.flat();
  }

  async remove(name: string): Promise<void> {
    await (await this.of(name)).remove(name);
  }

  enroll(req: EnrollRequest, frontEnd: FlowFrontEnd, deps: D, signal?: AbortSignal): Promise<EnrollOutcome> {
    return this.of(req.provider).then((k) => k.enroll(req, frontEnd, deps, signal));
  }

  /** The kind's own renewal rule, or undefined when the scheduler should ask the provider's server. */
  async renewalPolicy(name: string): Promise<RenewalPolicy | undefined> {
    const kind = await this.of(name);
    return kind.renewalPolicy?.(name);
  }

  private async entryOf(name: string): Promise<ProviderKindEntry<D>> {
    const [fallback] = this.entries;
    // Only a plain folder name is looked up; anything that could leave providers/ is the default kind's to refuse.
    if (!name || name.startsWith('.') || path.basename(name) !== name || name.includes('\\')) return fallback;
    const record = await readJsonFile<{ kind?: unknown } | null>(
      path.join(homeLayout(this.home).providers, name, 'provider.json'),
      null,
    ).catch(() => null);
    return this.entries.find((e) => e.kind === record?.kind) ?? fallback;
  }
}
