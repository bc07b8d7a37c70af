import { z } from 'zod';
import { CoreText } from './core-text-schema';
import type { CoreText as CoreTextType } from './core-text';

/**
 * The engine runs an enrollment as a state machine and asks its front-end (CLI or tray UI) for what it
 * needs through these prompts. Front-ends only render prompts and send answers: no flow logic lives there.
 * Schemas (not only types) because answers arrive over IPC/WebSocket from an untrusted renderer.
 */

export const CredentialName = z.enum(['USERID', 'PASSWD', 'PIN', 'OTP', 'RESPONSE']);
export type CredentialName = z.infer<typeof CredentialName>;

export const CredentialField = z.object({
  name: CredentialName,
  /** Label to show, e.g. the server's password-prompt ("tokencode"). */
  label: z.string(),
  /** The label is the server's own words (its password-prompt): shown as is; otherwise the UI names the field itself. */
  serverLabel: z.boolean().optional(),
  /** Whose user name/password (an Online CA's realm, else its host): the UI says "User name for …" in its language. */
  realm: z.string().optional(),
  secret: z.boolean(),
  /** Pre-filled value (e.g. the remembered user id). Never set for secrets. */
  value: z.string().optional(),
});
export type CredentialField = z.infer<typeof CredentialField>;

export const Challenge = z.object({ name: z.string(), value: z.string() });

export const FlowPrompt = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('credentials'),
    fields: z.array(CredentialField),
    /** Offer "remember on this computer" (only where unattended renewal needs it). */
    offerRemember: z.boolean(),
    /**
     * How a remembered secret would be kept (app/engine/remember-gate.ts): 'os' (the OS secret store), 'weak' (a
     * key file readable by this user), 'none' (a fixed key: Linux safeStorage 'basic_text'). The UI says so beside
     * "Remember" before the user agrees.
     */
    rememberProtection: z.enum(['os', 'weak', 'none']).optional(),
    /** The organisation's policy forbids remembering (lockedRememberSecrets: false): shown disabled, managed. */
    rememberLocked: z.boolean().optional(),
    /** The previous attempt failed; say why (e.g. "wrong password, 3 s delay served"). */
    error: z.string().optional(),
    /** `error` as a code the UI translates (app/model/core-text.ts). */
    errorText: CoreText.optional(),
  }),
  z.object({
    kind: z.literal('challenge'),
    /** 'passwd': multi-phase password (answer goes in PASSWD); 'response': RESPONSE credential(s). */
    mode: z.enum(['passwd', 'response']),
    challenges: z.array(Challenge),
    responseNames: z.array(z.string()),
  }),
  z.object({ kind: z.literal('otp'), sentTo: z.string().optional(), error: z.string().optional() }),
  z.object({
    kind: z.literal('change-password'),
    reason: z.enum(['expired', 'requested']),
    error: z.string().optional(),
    errorText: CoreText.optional(),
  }),
  z.object({ kind: z.literal('approver-email'), emails: z.array(z.string()) }),
  z.object({
    kind: z.literal('cert-options'),
    allowCommonName: z.boolean(),
    allowGivenNameSurname: z.boolean(),
    allowSanDomains: z.boolean(),
  }),
  z.object({
    kind: z.literal('confirm-trust'),
    host: z.string(),
    /** One line per CA certificate, "subject — SHA-256 AA:BB:…" (what a terminal prints). */
    fingerprints: z.array(z.string()),
    /** The same CAs as fields, so a UI can set the fingerprint apart (monospace) from the subject. */
    certificates: z.array(z.object({ subject: z.string(), sha256: z.string() })).optional(),
  }),
  z.object({
    /** The server wants the machine store (store-to-system) and the agent may not write it: use the user's stores? */
    kind: z.literal('system-store'),
    /** Why the machine store cannot be written, in words ("the agent is not running as an administrator ..."). */
    reason: z.string(),
    /** The same coded for the UI's languages (app/model/core-text.ts). */
    reasonText: CoreText.optional(),
  }),
]);
export type FlowPrompt = z.infer<typeof FlowPrompt>;

export const FlowAnswer = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('credentials'),
    values: z.record(z.string().max(64), z.string().max(4096)),
    remember: z.boolean().default(false),
  }),
  z.object({ kind: z.literal('challenge'), responses: z.array(z.object({ name: z.string(), value: z.string().max(4096) })) }),
  z.object({ kind: z.literal('otp'), otp: z.string().max(8192) }),
  z.object({ kind: z.literal('change-password'), oldPassword: z.string().max(4096), newPassword: z.string().max(4096) }),
  z.object({ kind: z.literal('approver-email'), email: z.string().max(320) }),
  z.object({
    kind: z.literal('cert-options'),
    commonName: z.string().max(256).optional(),
    givenName: z.string().max(256).optional(),
    surname: z.string().max(256).optional(),
    sanDomains: z.array(z.string().max(253)).max(100).optional(),
  }),
  z.object({ kind: z.literal('confirm-trust'), accept: z.boolean() }),
  z.object({ kind: z.literal('system-store'), useUserStore: z.boolean() }),
]);
export type FlowAnswer = z.infer<typeof FlowAnswer>;

/** Progress the engine reports while it works; informational, needs no answer. */
export const FlowProgress = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('step'),
    step: z.string(),
    detail: z.string().optional(),
    /** detail coded for the UI's languages when it is a sentence rather than a value (app/model/core-text.ts). */
    detailText: CoreText.optional(),
  }),
  /** DELAY / LOCKED countdown: the engine waits and retries by itself (DELAY) or stops (LOCKED). */
  z.object({ kind: z.literal('wait'), seconds: z.number(), reason: z.enum(['delay', 'locked', 'submitted', 'in-progress']) }),
  z.object({
    kind: z.literal('mfa'),
    state: z.enum(['waiting-for-browser', 'silent', 'done', 'cancelled']),
    authority: z.string(),
  }),
]);
export type FlowProgress = z.infer<typeof FlowProgress>;
/** A step's detail as the engine gives it: a value ("RCDP 2.8.3", a host) or a sentence coded for the UI. */
export type StepDetail = string | CoreTextType;

/** How a flow ended. */
export const FlowOutcome = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('issued'),
    provider: z.string(),
    service: z.string(),
    subject: z.string(),
    serialNumber: z.string(),
    notBefore: z.string(),
    notAfter: z.string(),
    sha256Fingerprint: z.string(),
    stores: z.array(z.string()),
    /** Why the certificate is not where the server asked: the organisation's policy overrode store-to-system. */
    notice: CoreText.optional(),
  }),
  z.object({ status: z.literal('pending-approval'), provider: z.string(), service: z.string(), approvalOngoing: z.boolean() }),
  /** A voluntary password change (RCDP 2.6.7) succeeded; no certificate was requested. */
  z.object({ status: z.literal('password-changed'), provider: z.string(), service: z.string(), userId: z.string().optional() }),
  z.object({
    status: z.literal('failed'),
    /** Stable code for scripts and exit codes: auth-failed, locked, network, bad-input, server-error, cancelled, ... */
    code: z.string(),
    message: z.string(),
    /** The server was busy (HTTP 429/503) and asked to wait this long (Retry-After); unattended retries honour it. */
    retryAfterSeconds: z.number().optional(),
    /** `message` as a code the UI translates (app/model/core-text.ts); absent for a sentence not yet coded. */
    text: CoreText.optional(),
  }),
]);
export type FlowOutcome = z.infer<typeof FlowOutcome>;
/** How an enrollment or renewal ends (never a password change). */
export type EnrollOutcome = Exclude<FlowOutcome, { status: 'password-changed' }>;

/** What a flow is for: the header's "Needs attention" names it (a renewal's sign-in is not "an enrollment"). */
export const FlowPurpose = z.enum(['enroll', 'renew', 'password-change']);
export type FlowPurpose = z.infer<typeof FlowPurpose>;

/** A flow's open prompt (the flow:prompt event, flow:current); provider/service name whom a sign-in form is for. */
export const WaitingPrompt = z.object({
  flowId: z.string(),
  prompt: FlowPrompt,
  provider: z.string().optional(),
  service: z.string().optional(),
  /** Optional: a core older than this field sends none, and the UI then says only that something waits. */
  purpose: FlowPurpose.optional(),
});
export type WaitingPrompt = z.infer<typeof WaitingPrompt>;
