import type http from 'node:http';
import type { TlsExplainer } from '../rcdp/http';
import type { Logger } from '../log/logger';
import type { RcdpClient, RcdpClientOptions } from '../rcdp/client';
import type { CertificateBundle, CertificateStore } from '../stores/store';
import type { SystemStoreTarget } from '../stores/system-stores';
import type { SecretStore } from '../system/secret-store';
import type { CertFormat } from './certificate';
import type { MfaSignIn } from './mfa';
import type { ProviderKinds } from './provider-kinds';
import type { ResolveHost } from './service-uris';
import type { TpmKeySource } from './tpm-csr';
import type { CertExtras } from './state';

/** How the engine reaches one KeyTalk provider's server: its address and a TLS agent trusting only its CAs. */
export interface ProviderConnection {
  name: string;
  server: string;
  agent: http.Agent;
  explainTlsError?: TlsExplainer;
  services: { name: string; certValidPercent?: number }[];
  /** The RCCD's CA certificates (PEM): what completes an issued chain the server's reply lacks. */
  cas?: string[];
}

export interface EngineDeps {
  home: string;
  /**
   * Which provider kind (KeyTalk, Online CA, …) serves a provider; the agent core wires it up
   * (app/agent/provider-wiring.ts). Absent (tests that build the RCDP engine's deps by hand): KeyTalk only.
   */
  providerKinds?: ProviderKinds<EngineDeps>;
  openProvider: (name: string) => Promise<ProviderConnection>;
  /** Configured stores; the first one is the primary. */
  stores: () => Promise<CertificateStore[]> | CertificateStore[];
  secretStore?: SecretStore;
  hwsig?: (formula: string) => Promise<string>;
  mfa?: MfaSignIn;
  kerberosTicket?: () => Promise<Record<string, string> | undefined>;
  /** Key generation and CSR signing in the TPM (use-tpm-vsc-authentication); absent where there is no TPM support. */
  tpmKeys?: TpmKeySource;
  decryptSeatChallenge?: (challengeB64: string, keyPem: string, certPem: string) => Promise<Buffer | string> | Buffer | string;
  computerName?: () => string;
  /** The machine store for store-to-system (app/stores/system-stores.ts); absent: none known here. */
  systemStores?: () => Promise<SystemStoreTarget | undefined> | SystemStoreTarget | undefined;
  /** Opens one service URI after issuance (open-service-uri.ts); `wait` for execute-sync. Absent: never opened. */
  openServiceUri?: (uri: string, wait: boolean) => Promise<void>;
  /** The user's setting (Settings.openServiceUris); absent: on. */
  serviceUrisEnabled?: () => Promise<boolean>;
  /** caller-hw-description for a computer name; default: OS + name + this device's hashed identifier (device-id.ts). */
  callerHwDescription?: (computerName: string) => Promise<string>;
  resolveHost?: ResolveHost;
  env?: NodeJS.ProcessEnv;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  rcdp?: Pick<RcdpClientOptions, 'timeoutMs' | 'retry' | 'versions' | 'versionlessPaths' | 'onExchange' | 'now'>;
  log?: Logger;
  appVersion?: string;
  /** submitted/in-progress polling. */
  pollIntervalSeconds?: number;
  maxPolls?: number;
  maxAuthAttempts?: number;
  /**
   * Work that needs the authenticated session after a certificate is stored, before eoc: S/MIME shared
   * mailboxes and historical certificates, mail-client settings, cert scraping. Never fails the enrollment.
   */
  afterIssued?: (ctx: IssuedContext) => Promise<void>;
}

/** What afterIssued gets: the open session and what was just stored. */
export interface IssuedContext {
  client: RcdpClient;
  provider: string;
  service: string;
  format: CertFormat;
  outOfBand: boolean;
  bundle: CertificateBundle;
  historical: CertificateBundle[];
  extras: CertExtras;
  stores: CertificateStore[];
  log: Logger;
}
