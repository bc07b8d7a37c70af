import type { RsaKeyPool } from '../pki/keys';
import type { Fixture, ProviderConfig, ServiceConfig, UserConfig } from './fixture';
import type { Outbox } from './outbox';
import type { IssuedRegistry } from './registry';
import type { SessionStore } from './sessions';
import type { SimPki } from './sim-pki';

export interface Message {
  text: string;
  utc: string;
}

/** Mutable per-user state that the fixture only seeds (changed passwords, locks, failures). */
export interface UserRuntime {
  password?: string;
  passwordExpired: boolean;
  lockedUntil?: number;
  delayUntil?: number;
  failures: number;
  delayedOnce: boolean;
  approved: Set<string>;
  approvalPolls: Map<string, number>;
  keepAlive?: string;
  /** Control endpoint: certificates issued from now on last at most this long. */
  lifetimeOverride?: number;
}

export interface OobItem {
  body: Buffer;
  contentType: string;
  expires: number;
}

/** Everything a request handler needs. */
export interface SimContext {
  fixture: Fixture;
  pki: SimPki;
  sessions: SessionStore;
  registry: IssuedRegistry;
  outbox: Outbox;
  keyPool: RsaKeyPool;
  serverMessages: Message[];
  userMessages: Map<string, Message[]>;
  users: Map<string, UserRuntime>;
  oob: Map<string, OobItem>;
  storedCerts: Map<string, string[]>;
  /** Every answered store-certs request (GET /store-certs): who sent it and the SHA-1s stored and skipped. */
  storeCertsReceived: { time: string; user: string; service: string; stored: string[]; skipped: string[] }[];
  /** Every kerberos-ticket checked: the principal it proved, or why it was refused (KERBEROS-AUTH-NOK). */
  kerberosChecks: { time: string; principal?: string; user?: string; error?: string }[];
  healthy: boolean;
  urls: { https: string; http: string; ssapi: string };
}

export interface ServiceRef {
  provider: ProviderConfig;
  service: ServiceConfig;
}

export function findService(ctx: SimContext, name: string | undefined): ServiceRef | undefined {
  if (!name) return undefined;
  for (const provider of ctx.fixture.providers) {
    const service = provider.services.find((s) => s.name === name);
    if (service) return { provider, service };
  }
  return undefined;
}

export function findUser(ctx: SimContext, provider: ProviderConfig | undefined, id: string | undefined): UserConfig | undefined {
  if (!id) return undefined;
  const providers = provider ? [provider] : ctx.fixture.providers;
  for (const p of providers) {
    const u = p.users.find((x) => x.id === id);
    if (u) return u;
  }
  return undefined;
}

export function userRuntime(ctx: SimContext, user: UserConfig): UserRuntime {
  let r = ctx.users.get(user.id);
  if (!r) {
    r = {
      passwordExpired: user.passwordExpired,
      failures: 0,
      delayedOnce: false,
      approved: new Set(),
      approvalPolls: new Map(),
      ...(user.lockedSeconds ? { lockedUntil: Date.now() + user.lockedSeconds * 1000 } : {}),
    };
    ctx.users.set(user.id, r);
  }
  return r;
}

export function currentPassword(ctx: SimContext, user: UserConfig): string | undefined {
  return userRuntime(ctx, user).password ?? user.password;
}
