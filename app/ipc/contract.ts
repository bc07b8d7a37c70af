import { z } from 'zod';
import { CertUse } from '../model/cert-use';
import { FlowAnswer, FlowOutcome, FlowProgress, WaitingPrompt } from '../model/flow-types';
import { languageSettings } from '../model/languages';
import { CoreText } from '../model/core-text-schema';
import { MfaAccountGroup, MfaSignOutRequest } from './mfa-contract';
import { ScannerReport, ScannerSettingsPatch, ScannerUserSettings, ScanNowRequest, ScanNowResult } from './scanner-contract';
import { AddOnlineCaRequest } from './onlineca-request';
import { SmimeAvailability, SmimeInviteResult } from './smime-contract';
import { DoctorReport, DoctorRequest, SupportBundleReply } from './doctor-contract';

/**
 * The one typed IPC contract between the UI and the core. Electron's ipcMain handlers, the preload bridge
 * and the browser host's WebSocket bridge are all generated from these two maps, so a channel name is
 * written exactly once (here). Every incoming request is validated with its schema (see validate.ts).
 *
 * To add a channel: add an entry to `requests` (request + response schemas) or `events`, then implement
 * it in the core's handler table (app/ipc/handlers.ts). Nothing else needs to change.
 */

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });
const Name = z.string().min(1).max(200);

/** Subject values a request may fix up front (RCDP 2.7.2 common-name, given-name/surname, san-domains). */
const FixedCertOptions = z
  .object({
    commonName: z.string().max(256).optional(),
    givenName: z.string().max(256).optional(),
    surname: z.string().max(256).optional(),
    sanDomains: z.array(z.string().max(253)).max(100).optional(),
  })
  .strict();

export const AgentStatus = z.enum(['idle', 'working', 'attention', 'error']);

export const ProviderSummary = z.object({
  name: z.string(),
  kind: z.enum(['keytalk', 'onlineca']),
  server: z.string(),
  contentVersion: z.number().optional(),
  services: z.array(z.object({ name: z.string(), certValidPercent: z.number().optional() })),
  /** data: URL of the provider logo from the RCCD, if any. */
  logo: z.string().optional(),
  /** Non-fatal remarks from the import (unsigned or self-vouched RCCD, a "CA" that is not a CA): show them. */
  warnings: z.array(z.string()).optional(),
});
export type ProviderSummary = z.infer<typeof ProviderSummary>;

/** An unsigned or self-vouched RCCD that the user has not confirmed: nothing was imported (app/rccd/rccd-trust.ts). */
export const RccdNeedsConfirmation = z
  .object({
    needsConfirmation: z.array(z.string().max(1000)).min(1).max(20),
    /** The same reasons coded for the UI's languages, one per reason, same order. */
    needsConfirmationTexts: z.array(CoreText).max(20).optional(),
  })
  .strict();
export type RccdNeedsConfirmation = z.infer<typeof RccdNeedsConfirmation>;

export const CertificateSummary = z.object({
  sha256Fingerprint: z.string(),
  serialNumber: z.string(),
  subject: z.string(),
  issuer: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  provider: z.string().optional(),
  service: z.string().optional(),
  stores: z.array(z.string()),
  renewAt: z.string().optional(),
  /** Why it renews then (English); renewReasonText is the same coded for the UI (app/model/core-text.ts). */
  renewReason: z.string().optional(),
  renewReasonText: CoreText.optional(),
  /** The last renewal attempt's error (its English in `message`; code 'uncoded' when the core did not code it). */
  renewErrorText: CoreText.optional(),
  /** Where the private key lives, per store that holds it: 'file', 'nss', 'tpm' or 'os-store'. */
  keyLocations: z.array(z.enum(['file', 'nss', 'tpm', 'os-store'])).optional(),
  /**
   * The PKCS#11 tokens through which programs reach the key: the TPM's tpm2-pkcs11 token ("KeyTalk") when a
   * TPM-bound certificate's NSS database has the module registered. Absent: no token (the key is where keyLocations says).
   */
  pkcs11Tokens: z.array(z.string()).optional(),
  /** What it is for (EKU / key usage), most specific first: the card's title says it in words. */
  uses: z.array(CertUse).optional(),
  /** A shared mailbox's certificate (its address), handed out with the seat's own enrollment. */
  sharedMailbox: z.string().optional(),
  /** A historical S/MIME certificate: kept to read old mail, never used to sign. */
  historical: z.boolean().optional(),
  /**
   * A TPM-bound certificate: what the server's Public API is-cert-tpm-attested (3.2.16) answered right after issue
   * (true: the server attested the key). Absent when not TPM-bound or the server did not answer.
   */
  tpmAttested: z.boolean().optional(),
  /**
   * A previous certificate: a newer enrollment for the same provider/service/user replaced it (this is the newer
   * one's fingerprint). It is in no store any more (stores: []); listed from the enrollment history.
   */
  replacedBy: z.string().optional(),
  /** When the replacing certificate was issued (with replacedBy). */
  replacedAt: z.string().optional(),
});
export type CertificateSummary = z.infer<typeof CertificateSummary>;

export const StoreInfo = z.object({
  id: z.string(),
  name: z.string(),
  location: z.string(),
  usedBy: z.array(z.string()),
  available: z.boolean(),
  unavailableReason: z.string().optional(),
  /** The reason as a code the UI translates (app/model/core-text.ts). */
  unavailableText: CoreText.optional(),
  /** Listed in settings.stores: new certificates go here. */
  enabled: z.boolean(),
});
export type StoreInfo = z.infer<typeof StoreInfo>;

export const ServerMessage = z.object({
  id: z.string(),
  provider: z.string(),
  text: z.string(),
  utc: z.string(),
  read: z.boolean(),
});
export type ServerMessage = z.infer<typeof ServerMessage>;

/** A password the server said will expire (RCDP auth password-validity), as `status` reports it. */
export const PasswordExpiry = z.object({
  provider: z.string(),
  service: z.string(),
  userId: z.string().optional(),
  expiresAt: z.string(),
  daysLeft: z.number(),
  /** Inside the warning window (Settings.passwordWarnDays) or already past. */
  warn: z.boolean(),
});
export type PasswordExpiry = z.infer<typeof PasswordExpiry>;

export const AgentState = z.object({
  status: AgentStatus,
  version: z.string(),
  home: z.string(),
  providers: z.array(ProviderSummary),
  unreadMessages: z.number(),
  nextRenewal: z.string().optional(),
  activeFlow: z.string().optional(),
  lastError: z.string().optional(),
  /** lastError as a code the UI translates (app/model/core-text.ts): the English above is its fallback. */
  lastErrorText: CoreText.optional(),
  /** State files found damaged, moved aside and rebuilt: a warning until the `.damaged-*` copies are removed. */
  repaired: z.array(z.string()).optional(),
  /** The same warnings, coded (one per `repaired` entry, same order). */
  repairedTexts: z.array(CoreText).optional(),
  /** Problems in the managed policy (each bad key was ignored), for the UI and `status`. */
  policyWarnings: z.array(z.string()).optional(),
  /** The same problems, coded (one per `policyWarnings` entry, same order). */
  policyWarningTexts: z.array(CoreText).optional(),
  /** The organisation's support contact, from the policy. */
  supportContact: z.string().optional(),
  /** Changes whenever the policy in force changes (policy watch): the UI then re-reads settings and their locks. */
  policyRevision: z.string().optional(),
  /**
   * How "Remember" would keep a password (app/engine/remember-gate.ts): 'os' the OS secret store, 'weak' a key file
   * readable by this user, 'none' a fixed key (Linux safeStorage 'basic_text'). The sign-in form says so.
   */
  secretStorageProtection: z.enum(['os', 'weak', 'none']).optional(),
  /** Policy lockedRememberSecrets: false — nothing is remembered; "Remember" is shown disabled, managed. */
  rememberLocked: z.boolean().optional(),
  /** Policy autoEnroll entries that could not enroll silently: each needs the user once (status is 'attention'). */
  autoEnrollPending: z.array(z.object({ provider: z.string(), service: z.string(), reason: z.string() })).optional(),
  /** Passwords inside the warning window: the UI's banner and the OS notification. */
  passwordExpiries: z.array(PasswordExpiry).optional(),
});
export type AgentState = z.infer<typeof AgentState>;

export const Settings = z.object({
  autostart: z.boolean(),
  stores: z.array(z.string()),
  logLevel: z.enum(['error', 'warn', 'info', 'debug']),
  theme: z.enum(['system', 'light', 'dark']),
  /** Open the service's URIs after a certificate is issued, as the server's execute-sync says (absent: on). */
  openServiceUris: z.boolean().optional(),
  /** Language of the UI, tray and notifications (app/model/languages.ts); absent or `system`: the OS's. */
  language: z.enum(languageSettings).optional(),
  /** Warn this many days before a KeyTalk password expires (absent: 14). */
  passwordWarnDays: z.number().int().min(0).max(365).optional(),
  /** Settings the organisation's policy pins (read-only here): setting → the policy key that pins it. */
  locked: z.record(z.string(), z.string()).optional(),
});
export type Settings = z.infer<typeof Settings>;

export const AboutInfo = z.object({
  agent: z.string(),
  electron: z.string().optional(),
  node: z.string(),
  chrome: z.string().optional(),
  rcdpVersions: z.array(z.string()),
  license: z.string(),
});
export type AboutInfo = z.infer<typeof AboutInfo>;

export const PendingApprovalSummary = z.object({
  provider: z.string(),
  service: z.string(),
  userId: z.string().optional(),
  since: z.string(),
  lastPolled: z.string(),
});
export type PendingApprovalSummary = z.infer<typeof PendingApprovalSummary>;

export const DisclaimerSummary = z.object({
  provider: z.string(),
  service: z.string(),
  email: z.string(),
  name: z.string(),
  /** Plain text taken from the signature files (tags removed); the UI shows it as text only. */
  preview: z.string(),
  /** Mail clients the signature was written to, as far as the disclaimer package says. */
  appliedTo: z.array(z.string()),
  checkedAt: z.string(),
  appliedAt: z.string().optional(),
});
export type DisclaimerSummary = z.infer<typeof DisclaimerSummary>;

export const PopupRequest = z.object({
  popup: z.enum(['login', 'mfa', 'disclaimer', 'unattended-renewal']),
  data: z.record(z.string(), z.unknown()),
});

/** Request/response channels: renderer → core. */
export const requests = {
  'agent:get-state': { request: Empty, response: AgentState },
  'providers:import-rccd': {
    // The renderer cannot read files itself (sandbox): it sends the picked/dropped file's bytes.
    // acceptUnsigned: the user confirmed an unsigned or self-vouched RCCD (app/rccd/rccd-trust.ts).
    request: z
      .object({ fileName: z.string().max(255), dataBase64: z.string().max(30_000_000), acceptUnsigned: z.boolean().optional() })
      .strict(),
    // Either the imported provider, or — for an RCCD that vouches for itself and was not yet confirmed — nothing
    // imported and the reasons the user must read before confirming (then the same request with acceptUnsigned).
    response: z.union([ProviderSummary, RccdNeedsConfirmation]),
  },
  'providers:remove': { request: z.object({ name: Name }).strict(), response: Ok },
  /** Add an Online CA provider by its service URL; trust is confirmed (or pinned) at its first enrollment. */
  'providers:add-onlineca': { request: AddOnlineCaRequest, response: ProviderSummary },
  'enroll:start': {
    request: z
      .object({
        provider: Name,
        service: Name,
        format: z.enum(['P12', 'PEM', 'P12v2']).optional(),
        csr: z.boolean().optional(),
        outOfBand: z.boolean().optional(),
        /**
         * 'ask': after sign-in the engine asks the Public API's cn-customization-policy (it needs the USERID the
         * user signed in with, so the form cannot know it beforehand) and shows the cert-options form only when
         * the service allows a custom name; or fixed values (what the CLI's flags give).
         */
        certOptions: z.union([z.literal('ask'), FixedCertOptions]).optional(),
      })
      .strict(),
    response: z.object({ flowId: z.string() }),
  },
  'flow:answer': { request: z.object({ flowId: z.string().max(100), answer: FlowAnswer }).strict(), response: Ok },
  'flow:cancel': { request: z.object({ flowId: z.string().max(100) }).strict(), response: Ok },
  /** The prompt a UI flow waits on now: a window opened or reloaded meanwhile resumes it instead of a stuck header. */
  'flow:current': { request: Empty, response: z.object({ waiting: WaitingPrompt.optional() }) },
  /** A voluntary password change (RCDP 2.6.7) runs as a flow: sign-in and change-password prompts, then flow:done. */
  'password:change': {
    request: z.object({ provider: Name, service: Name }).strict(),
    response: z.object({ flowId: z.string() }),
  },
  'certs:list': { request: Empty, response: z.array(CertificateSummary) },
  'certs:renew': {
    request: z.object({ sha256Fingerprint: z.string().max(128) }).strict(),
    response: z.object({ flowId: z.string() }),
  },
  'certs:remove': { request: z.object({ sha256Fingerprint: z.string().max(128) }).strict(), response: Ok },
  'messages:list': { request: Empty, response: z.array(ServerMessage) },
  'messages:mark-read': { request: z.object({ ids: z.array(z.string().max(200)).max(1000) }).strict(), response: Ok },
  'certs:export': {
    // The password protects the exported key; the renderer asks for it twice before sending it.
    request: z.object({ sha256Fingerprint: z.string().max(128), password: z.string().min(8).max(1024) }).strict(),
    response: z.object({ fileName: z.string(), dataBase64: z.string() }),
  },
  'approvals:list': { request: Empty, response: z.array(PendingApprovalSummary) },
  'approvals:check': {
    request: Empty,
    response: z.array(
      z.object({ provider: z.string(), service: z.string(), status: z.string(), message: z.string().optional() }),
    ),
  },
  'disclaimers:list': { request: Empty, response: z.array(DisclaimerSummary) },
  /** Run the scheduler's disclaimer check for every address now ("Check now"); answers the list afterwards. */
  'disclaimers:check': { request: Empty, response: z.array(DisclaimerSummary) },
  'smime:availability': {
    request: z.object({ provider: Name, service: Name.optional(), synchronous: z.boolean().optional() }).strict(),
    response: SmimeAvailability,
  },
  /** Self-Service API: S/MIME certificates (or CA orders) for external recipients, over mTLS with the user's certificate. */
  'smime:invite': {
    request: z
      .object({
        provider: Name,
        service: Name.optional(),
        recipients: z
          .array(z.object({ email: z.string().min(3).max(320), mobile: z.string().max(32).optional() }).strict())
          .min(1)
          .max(50),
        synchronous: z.boolean().optional(),
      })
      .strict(),
    response: SmimeInviteResult,
  },
  'app:about': { request: Empty, response: AboutInfo },
  /** Electron main opens the folder (shell.openPath) and says so; the browser host only returns the path. */
  /** Every store this platform offers: where it is, which programs read it, whether the agent writes to it. */
  'stores:list': { request: Empty, response: z.array(StoreInfo) },
  'logs:open-folder': { request: Empty, response: z.object({ path: z.string(), opened: z.boolean() }) },
  /** The last popup the core raised and nobody acted on: a popup window opened for it asks at start. */
  'popup:current': { request: Empty, response: z.object({ popup: PopupRequest.optional() }) },
  'settings:get': { request: Empty, response: Settings },
  'settings:set': { request: Settings.omit({ locked: true }).partial().strict(), response: Settings },
  /** Certificate scan (cert scraping): the user's scanner settings, per server what it asked and got, the last runs. */
  'scanner:report': { request: Empty, response: ScannerReport },
  'scanner:settings-set': { request: ScannerSettingsPatch, response: ScannerUserSettings },
  /** Scan now on a silent session (remembered credentials); the server's settings still decide what is sent. */
  'scanner:scan-now': { request: ScanNowRequest, response: ScanNowResult },
  /** MFA sign-ins saved in the token caches, per authority + client (usernames, no tokens). */
  'mfa:accounts': { request: Empty, response: z.array(MfaAccountGroup) },
  /** Sign out of one account: its tokens leave the cache; with a post-log-out-uri the IdP's sign-out page opens. */
  'mfa:sign-out': { request: MfaSignOutRequest, response: Ok },
  /** Connectivity check per provider (DNS, TCP, TLS, RCDP, clock, Public API) and of this computer (app/doctor). */
  'doctor:run': { request: DoctorRequest, response: DoctorReport },
  /** The helpdesk's support bundle (zip; no passwords, keys, tokens or cookies): Settings and the tray menu. */
  'diagnostics:bundle': { request: Empty, response: SupportBundleReply },
} as const;

/** Events pushed from the core to every UI window. */
export const events = {
  'agent:state': AgentState,
  // provider/service: whom the prompt is for, so a sign-in form (also in a popup the core opened) can name them.
  'flow:prompt': WaitingPrompt,
  'flow:progress': z.object({ flowId: z.string(), progress: FlowProgress }),
  'flow:done': z.object({ flowId: z.string(), outcome: FlowOutcome }),
  'popup:open': PopupRequest,
  /** The scheduler applied a new or changed disclaimer (name) or removed a withdrawn one (no name). */
  'disclaimer:changed': z.object({ provider: z.string(), service: z.string(), email: z.string(), name: z.string().optional() }),
  /** The scheduler renewed a certificate unattended (no flow:done is sent for it). */
  'certs:renewed': z.object({
    provider: z.string(),
    service: z.string(),
    subject: z.string().optional(),
    sha256Fingerprint: z.string(),
    notAfter: z.string(),
  }),
} as const;

export { SmimeAvailability, SmimeInviteResult };

export type RequestChannel = keyof typeof requests;
export type EventChannel = keyof typeof events;
export type RequestOf<C extends RequestChannel> = z.input<(typeof requests)[C]['request']>;
export type ResponseOf<C extends RequestChannel> = z.infer<(typeof requests)[C]['response']>;
export type EventOf<C extends EventChannel> = z.infer<(typeof events)[C]>;

export const requestChannels = Object.keys(requests) as RequestChannel[];
export const eventChannels = Object.keys(events) as EventChannel[];

/** Upper bound for any one serialized message; larger ones are refused before parsing. */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** What the UI sees as `window.keytalk`: one typed function per request channel plus an event subscription. */
export interface KeytalkApi {
  invoke<C extends RequestChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  on<C extends EventChannel>(channel: C, listener: (payload: EventOf<C>) => void): () => void;
}
