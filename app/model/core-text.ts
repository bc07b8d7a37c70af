/**
 * The core's user-facing sentences (errors and warnings) as a stable code with values, beside the English sentence.
 * The CLI prints and the log keeps the English `message`; the UI renders `code` in the user's language
 * (renderer/i18n/locales/<lang>/core.ts) and shows the English `message` for a code it does not know (a newer core).
 *
 * Every code the core can emit is listed here with the names of its values: the UI's texts are checked against
 * this list (scripts/core-texts.test.ts), so a new code without its Dutch and German sentence fails a test.
 * A value may itself be a coded text (a store's reason inside "store X cannot take a certificate: …").
 * Plain code, no zod: the engine and the stores import this, and the idle daemon must not load full zod (the
 * contract's schema is app/model/core-text-schema.ts, which only the contract loads).
 */
export const coreTextParams = {
  // Sign-in (app/engine/authenticate.ts, seat-authentication.ts): the server's DELAY / LOCKED / EXPIRED.
  'auth.rejected': [],
  'auth.rejected-final': [],
  'auth.rejected-final-wait': ['seconds'],
  'auth.rejected-remembered': [],
  'auth.rejected-hwsig': [],
  'auth.locked': [],
  'auth.locked-for': ['seconds'],
  'auth.seat-locked': [],
  'auth.expired-unattended': [],
  'auth.change-refused': [],
  'auth.change-refused-final': [],
  // Reaching the server (app/rcdp/http.ts).
  'network.refused': ['host'],
  'network.not-found': ['host'],
  'network.reset': ['host'],
  'network.unreachable': ['host'],
  'network.broke': ['host'],
  'network.connect-timeout': ['host'],
  'network.stalled': ['host'],
  // The server's TLS certificate (app/tls/explain-tls-error.ts problems).
  'tls.expired': ['host'],
  'tls.not-yet-valid': ['host'],
  'tls.wrong-host': ['host'],
  'tls.unknown-ca': ['host'],
  'tls.self-signed': ['host'],
  'tls.revoked': ['host'],
  'tls.not-server-certificate': ['host'],
  'tls.bad-certificate': ['host'],
  'tls.handshake': ['host'],
  // Importing an RCCD file (app/agent/provider-handlers.ts).
  'rccd.not-rccd': ['file'],
  'rccd.unsafe': ['file'],
  'rccd.damaged': ['file'],
  'rccd.too-large': ['file'],
  'rccd.not-newer': ['name', 'installed', 'offered'],
  'rccd.onlineca-exists': ['name'],
  // Why an RCCD needs the user's confirmation before it is imported (app/rccd/rccd-trust.ts).
  'rccd.unsigned': [],
  'rccd.self-vouched': [],
  // Damaged state files moved aside (app/config/repaired-files.ts).
  'repaired.settings': ['at', 'problem', 'path'],
  'repaired.provider': ['file', 'at', 'path'],
  'repaired.file': ['file', 'at', 'path'],
  // The organisation's policy (app/policy).
  'policy.locked': ['what', 'key'],
  'policy.unknown-key': ['source', 'key'],
  'policy.bad-value': ['source', 'key', 'problem'],
  'policy.not-object': ['source'],
  'policy.unreadable': ['source', 'problem'],
  'policy.provisioning': ['problem'],
  'policy.system-store-refused': ['stores'],
  // Certificate stores and the disk (app/stores, app/engine/issued-stores.ts, app/system/disk-errors.ts).
  'store.cannot-take': ['store', 'reason'],
  'store.nss-old-format': [],
  'store.nss-no-database': [],
  'store.not-writable': ['dir'],
  'store.system-ca-tool-missing': [],
  'disk.full': [],
  'disk.quota': [],
  'disk.read-only': [],
  'home.busy': [],
  'home.not-writable': ['dir'],
  // A flow's end (app/engine/outcome.ts).
  'flow.cancelled': [],
  // Why a certificate renews when it does (app/scheduler/renewal-rule.ts): the card shows the date beside it.
  'renewal.server-margin': ['marginSeconds'],
  'renewal.valid-percent': ['percent'],
  'renewal.default-percent': ['percent'],
  'renewal.policy-floor': ['floorSeconds'],
  'renewal.margin-unusable': ['basis', 'marginSeconds'],
  'renewal.percent-unusable': ['basis'],
  'renewal.floor-unusable': ['basis', 'floorSeconds'],
  // A renewal's state and its last attempt (app/scheduler/renewer.ts).
  'renewal.switch-over': [],
  'renewal.not-in-every-store': ['reason'],
  'renewal.awaiting-approval': ['seconds'],
  'renewal.approver': [],
  'renewal.locked': [],
  'renewal.waiting-for-user': ['reminder', 'seconds'],
  'renewal.needs-user': ['why'],
  'renewal.seat-not-auto': [],
  'renewal.needs-sign-in': [],
  'renewal.needs-challenge': [],
  'renewal.needs-otp': [],
  'renewal.needs-approver': [],
  'renewal.stopping': [],
  'renewal.cancelled': [],
  'renewal.nothing-requested': [],
  // The unattended renewal popup (app/scheduler/renewer.ts, ui-bridge.ts).
  'renewal.popup-sign-in': ['service', 'provider', 'at'],
  'renewal.popup-locked': ['service', 'at'],
  'renewal.popup-failing': ['service', 'reason'],
  'renewal.popup-hook-failed': ['service', 'problem'],
  'renewal.hook-failed': ['status'],
  'renewal.hook-timeout': ['seconds'],
  // Inviting external S/MIME recipients (app/smime/self-service.ts, own-certificate.ts): what the user can do.
  'smime.unavailable': [],
  'smime.orders-unavailable': [],
  'smime.not-enabled': [],
  'smime.not-smime': [],
  'smime.cert-invalid': [],
  'smime.no-smtp': [],
  'smime.orders-personalsign': [],
  'smime.licence': [],
  'smime.cannot-check': ['reason'],
  'smime.no-email': [],
  'smime.expired': ['at'],
  'smime.mobile-required': ['emails'],
  'smime.several-providers': ['providers'],
  'smime.no-certificate': [],
  'smime.no-recipients': [],
  'smime.not-accepted': [],
  'smime.recipients-refused': [],
  // The Online CA (app/onlineca): sign-in, its answers, its trust roots, unattended renewal.
  'onlineca.rejected': ['user', 'realm'],
  'onlineca.rejected-final': ['user', 'realm'],
  'onlineca.username-colon': ['user'],
  'onlineca.username-required': [],
  'onlineca.busy': ['host'],
  'onlineca.server-error': ['host'],
  'onlineca.not-processed': ['host'],
  'onlineca.unexpected-status': ['host', 'status'],
  'onlineca.server-says': ['problem', 'text'],
  'onlineca.bad-certificate': [],
  'onlineca.not-chained': [],
  'onlineca.no-trust-roots': ['name'],
  'onlineca.trust-roots-status': ['host', 'status', 'url'],
  'onlineca.trust-roots-bad': ['host'],
  'onlineca.roots-not-vouching': ['host'],
  'onlineca.pin-mismatch': ['host', 'pinned', 'actual'],
  'onlineca.trust-not-confirmed': ['host'],
  'onlineca.needs-trust': [],
  'onlineca.needs-password': [],
  'store.none-selected': [],
  // The machine (system) store the server asked for cannot be written (app/stores/system-stores.ts, store-target.ts).
  'store.system-not-admin': [],
  'store.system-not-root': [],
  'store.system-not-writable': ['dir'],
  'store.system-none': [],
  'store.system-unattended': ['reason'],
  'store.system-declined': ['reason'],
  'provider.exists': ['name'],
  // A flow step's detail when it is a sentence (app/engine, app/onlineca): the step itself is a code the UI names.
  'step.key-in-tpm': ['size'],
  'step.poll': ['number'],
  'step.p12-fallback': [],
  'step.out-of-band': [],
  'step.historical-skipped': ['number', 'reason'],
  'step.password-expires': ['seconds'],
  'step.after-issue': [],
  'step.synchronously': [],
  'step.asynchronously': [],
  'step.challenge-response': [],
  'step.seat': [],
  'step.tpm-keys': [],
  'step.tpm-challenge': [],
  'step.fetching-roots': ['host'],
  'step.contacting': ['host'],
  'step.sending-request': ['host'],
  // The doctor's detail lines (app/doctor, app/service/service-check.ts): what a check found, and the fix in the UI's words.
  'doctor.no-provider': [],
  'doctor.stores-error': ['problem'],
  'doctor.home-ok': ['home'],
  'doctor.home-fail': ['dir', 'problem'],
  'doctor.no-stores': [],
  'doctor.store-ok': ['store', 'name', 'location'],
  'doctor.store-unavailable': ['store', 'name', 'reason'],
  'doctor.store-error': ['store', 'problem'],
  'doctor.secret-none': [],
  'doctor.secret-ok-os': ['kind'],
  'doctor.secret-ok-file': ['kind'],
  'doctor.secret-fail': ['kind', 'problem'],
  'doctor.policy-warning': ['warning'],
  'doctor.policy-ok': ['sources'],
  'doctor.policy-none': [],
  'doctor.service-none': [],
  'doctor.service-running': ['manager', 'file', 'detail'],
  'doctor.service-stopped': ['manager', 'file', 'detail'],
  'doctor.service-unknown': ['problem'],
  'doctor.skipped': ['step'],
  'doctor.skipped-no-handshake': [],
  'doctor.skipped-no-reply': [],
  'doctor.skipped-untrusted': [],
  'doctor.dns-ip': ['host'],
  'doctor.dns-ok': ['host', 'addresses'],
  'doctor.dns-fail': ['host', 'problem'],
  'doctor.dns-fail-onlineca': ['host', 'problem'],
  'doctor.tcp-ok': ['address', 'port'],
  'doctor.tcp-timeout': ['address', 'port', 'ms'],
  'doctor.tcp-refused': ['address', 'port'],
  'doctor.tcp-refused-onlineca': ['address', 'port'],
  'doctor.tcp-fail': ['address', 'port', 'problem'],
  'doctor.tls-ok': ['protocol', 'subject', 'issuer', 'trustedBy', 'validUntilAt'],
  'doctor.tls-timeout': ['host', 'port', 'ms'],
  'doctor.tls-fail': ['host', 'port', 'problem'],
  'doctor.tls-foreign-ca': ['host', 'peer', 'trustedBy', 'reason'],
  'doctor.trusted-by-rccd': [],
  'doctor.trusted-by-pin': ['name', 'date'],
  'doctor.trusted-by-confirmed': ['name', 'date'],
  'doctor.peer': ['subject', 'issuer', 'fingerprint'],
  'doctor.peer-unknown': [],
  'doctor.rcdp-ok': ['version'],
  'doctor.rcdp-clock-refused': [],
  'doctor.rcdp-fail': ['problem'],
  'doctor.clock-refused': [],
  'doctor.clock-no-utc': [],
  'doctor.clock-ok': ['skew'],
  'doctor.clock-ahead': ['seconds'],
  'doctor.clock-behind': ['seconds'],
  'doctor.clock-no-date': [],
  'doctor.clock-ok-service': ['skew'],
  'doctor.clock-ahead-service': ['seconds'],
  'doctor.clock-behind-service': ['seconds'],
  'doctor.server-version': ['version'],
  'doctor.version-fail': ['problem'],
  'doctor.health-ok': [],
  'doctor.health-bad': [],
  'doctor.health-bad-says': ['problem'],
  'doctor.health-fail': ['problem'],
  'doctor.roots-fail': ['problem'],
  'doctor.roots-status': ['host', 'status', 'url'],
  'doctor.roots-status-server': ['host', 'status'],
  'doctor.roots-ok': ['host', 'number'],
  'doctor.roots-changed': ['host', 'number', 'date'],
  'doctor.roots-unreadable': ['host', 'problem'],
  'doctor.cert-service-ok': ['host', 'status'],
  'doctor.cert-service-ok-realm': ['host', 'status', 'realm'],
  'doctor.cert-service-status': ['host', 'status', 'url'],
  'doctor.cert-service-status-server': ['host', 'status'],
  'doctor.cert-service-fail': ['problem'],
  'doctor.onlineca-untrusted': ['name'],
  // The KeyTalk server's own words (a popup template, a message, a reason): not translatable, so framed as its.
  'server.says': ['text'],
} as const satisfies Record<string, readonly string[]>;

export type CoreTextCode = keyof typeof coreTextParams;
/** Every code the core can emit (the UI has a sentence for each in en, nl and de). */
export const coreTextCodes = Object.keys(coreTextParams) as CoreTextCode[];

/** A coded text without its English sentence: what a thrown error carries (its message is the sentence). */
export interface CodedText {
  code: string;
  params?: Record<string, CoreTextValue>;
}
export type CoreTextValue = string | number | CoreText;
/** A coded text with the English sentence: what crosses the IPC contract. */
export interface CoreText extends CodedText {
  message: string;
}

/** The property a coded error keeps its text on (a plain own property: Error subclasses need no change). */
const KEY = 'coreText';

/** Give an error its code and values; returns the error, for `throw withText(new Error('…'), 'code', {…})`. */
export function withText<E extends Error>(err: E, code: CoreTextCode, params?: Record<string, CoreTextValue>): E {
  (err as E & { [KEY]?: CodedText })[KEY] = { code, ...(params ? { params } : {}) };
  return err;
}

/**
 * The coded text of an error, with its English message. An error that only wraps a coded one (its message contains
 * the cause's message, e.g. "Cannot reach …: <cause>") takes the cause's code; a wrapper that says something else
 * keeps its own English words rather than show a translation of a different sentence.
 */
export function textOf(err: unknown): CoreText | undefined {
  let e: unknown = err;
  const outer = err instanceof Error ? err.message : undefined;
  for (let i = 0; i < 4 && e instanceof Error; i++) {
    const coded = (e as Error & { [KEY]?: CodedText })[KEY];
    if (coded && (i === 0 || outer?.includes(e.message))) return { ...coded, message: outer ?? e.message };
    e = e.cause;
  }
  return undefined;
}

/** A coded text built where the core has no error to throw (warnings, reasons). */
export const coreText = (code: CoreTextCode, message: string, params?: Record<string, CoreTextValue>): CoreText => ({
  code,
  ...(params ? { params } : {}),
  message,
});
