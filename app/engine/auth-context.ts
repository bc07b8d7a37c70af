import type { FlowProgress, StepDetail } from '../model/flow-types';
import type { RcdpClient } from '../rcdp/client';
import type { FlowFrontEnd } from './front-end';
import type { MfaSignIn } from './mfa';
import type { ResolveHost } from './service-uris';
import type { TpmKeySource } from './tpm-csr';

// What an authentication run is given and returns. Apart from authenticate.ts so that the per-method modules
// (seat-authentication.ts) can use these types without importing authenticate.ts, which imports them.

export type UserCredential = 'USERID' | 'PASSWD' | 'PIN' | 'OTP';
export type Credentials = Partial<Record<UserCredential, string>>;

export interface SeatIdentity {
  userId: string;
  certPem: string;
  keyPem: string;
}

export interface AuthContext {
  client: RcdpClient;
  service: string;
  frontEnd: FlowFrontEnd;
  /** Values known up front (flags, environment, remembered); the engine asks for the rest. */
  credentials: Credentials;
  /** Pre-fill for the USERID field. */
  rememberedUserId?: string;
  unattended: boolean;
  /** A SecretStore exists and policy allows it, so "remember" can be offered. */
  canRemember: boolean;
  /** Shown beside "remember" (remember-gate.ts). */
  rememberProtection?: 'os' | 'weak' | 'none';
  /** Policy forbids remembering: the prompt shows it locked. */
  rememberLocked?: boolean;
  computerName: string;
  retiredComputerName?: string;
  callerHwDescription: string;
  hwsig?: (formula: string) => Promise<string>;
  resolveHost: ResolveHost;
  env: NodeJS.ProcessEnv;
  mfa?: MfaSignIn;
  kerberosTicket?: () => Promise<Record<string, string> | undefined>;
  /** The TPM a use-tpm-vsc-authentication "yes" template needs; absent: such templates are refused up front. */
  tpmKeys?: TpmKeySource;
  seat?: SeatIdentity;
  decryptSeatChallenge?: (challengeB64: string, keyPem: string, certPem: string) => Promise<Buffer | string> | Buffer | string;
  wait: (seconds: number, reason: Extract<FlowProgress, { kind: 'wait' }>['reason']) => Promise<void>;
  step: (step: string, detail?: StepDetail) => void;
  signal?: AbortSignal;
  /** Failed credential rounds before giving up (each costs the user a DELAY on the server). */
  maxAttempts: number;
  /** The server rejected credentials that came from the secret store: delete them so no run sends them again. */
  forgetRemembered?: () => Promise<void>;
}

export interface AuthResult {
  userId?: string;
  passwordValidity?: number;
  /** The user ticked "remember": the caller stores `credentials` in the SecretStore. */
  remember: boolean;
  credentials: Credentials;
  method: 'template' | 'seat';
  /** What proved the identity, recorded with the enrollment so the scheduler knows how to renew silently. */
  kind: AuthKind;
  /** The computer-name sent (server asked supply-computer-name, or seat authentication): the seat's machine. */
  computerName?: string;
  /** use-tpm-vsc-authentication of the template: "yes" = the key must be generated in the TPM. */
  tpmVsc?: 'yes' | 'yes-with-attestation' | 'no';
  /** auth-requirements service-uris: invoked after issuance (execute-sync), see open-service-uri.ts. */
  serviceUris?: string[];
}

/**
 * seat: the seat certificate's key; hwsig: the hardware signature alone; mfa: an OTP/MFA step; kerberos: the user's
 * Kerberos ticket (no password typed); else credentials.
 */
export type AuthKind = 'seat' | 'credentials' | 'hwsig' | 'mfa' | 'kerberos';
