import { i18n, tr, type TextKey } from './i18n/i18n';
import type { Texts } from './i18n/locales/en';

/**
 * The renderer's texts as one object, in the current language. This is the shape every component used before the
 * texts moved to i18next (renderer/i18n/locales/<lang>/*.ts): a plain text is a property (`strings.nav.label`), a
 * text with values is a function with positional arguments (`strings.nav.unread(n)`). The plain texts are read
 * straight from the English resource's keys through a Proxy, so a new plain text needs no line here; only a text
 * with values needs its function below. New code may call `tr('area.key', { … })` directly (renderer/README.md).
 */

/** Every plain text of the resource, as a read-only string (plural and placeholder keys included; they are unused). */
type Plain<T> = { readonly [K in keyof T]: T[K] extends string ? string : Plain<T[K]> };
/** The functions below replace or add to the plain shape, key by key. */
type Merge<A, B> = {
  readonly [K in keyof A | keyof B]: K extends keyof B
    ? B[K] extends (...args: never[]) => unknown
      ? B[K]
      : Merge<K extends keyof A ? A[K] : object, B[K]>
    : K extends keyof A
      ? A[K]
      : never;
};

const count = (n: number) => ({ count: n });
/** The text for a code the core sends (`group.code`), or undefined for a code this UI does not know. */
const known = (group: string, code: string) => (i18n.exists(`${group}.${code}`) ? tr(`${group}.${code}` as TextKey) : undefined);

/** The texts with values: each a function with the arguments its callers pass, mapped to named i18next values. */
const withValues = {
  nav: { unread: (n: number) => tr('nav.unread', count(n)) },
  status: {
    nextRenewal: (when: string) => tr('status.nextRenewal', { when }),
    home: (dir: string) => tr('status.home', { dir }),
    autoEnroll: (provider: string, service: string) => tr('status.autoEnroll', { provider, service }),
    attentionEnroll: (provider: string, service: string) => tr('status.attentionEnroll', { provider, service }),
    attentionRenew: (provider: string, service: string) => tr('status.attentionRenew', { provider, service }),
    attentionPasswordChange: (provider: string, service: string) => tr('status.attentionPasswordChange', { provider, service }),
  },
  common: { failed: (what: string) => tr('common.failed', { what }) },
  certificates: {
    validFromTo: (from: string, to: string) => tr('certificates.validFromTo', { from, to }),
    validityLeft: (pct: number) => tr('certificates.validityLeft', { pct }),
    expiresIn: (days: number) => tr('certificates.expiresIn', count(days)),
    expiredAgo: (days: number) => tr('certificates.expiredAgo', count(days)),
    renewAt: (when: string, reason?: string, error?: string) =>
      error
        ? tr('certificates.renewAt', { when, reason: reason ?? '', error, context: 'failed' })
        : reason
          ? tr('certificates.renewAt', { when, reason, context: 'reason' })
          : tr('certificates.renewAt', { when }),
    keyLocations: (where: string[]) =>
      tr('certificates.keyLocations', {
        places: where.map((w) => tr(`certificates.keyPlaces.${['tpm', 'file', 'nss'].includes(w) ? w : 'os'}` as TextKey)),
      }),
    pkcs11Tokens: (tokens: string[]) => tr('certificates.pkcs11Tokens', { tokens }),
    confirmRemove: (subject: string) => tr('certificates.confirmRemove', { subject }),
    exportTitle: (subject: string) => tr('certificates.exportTitle', { subject }),
    exported: (file: string) => tr('certificates.exported', { file }),
    approvalSince: (provider: string, service: string, since: string) =>
      tr('certificates.approvalSince', { provider, service, since }),
    approvalsChecked: (issued: number, total: number) => tr('certificates.approvalsChecked', { ...count(total), issued }),
    renewedUnattended: (what: string, until: string) => tr('certificates.renewedUnattended', { what, until }),
    cardTitle: (use: string, name: string) => tr('certificates.cardTitle', { use, name }),
    sharedMailbox: (mailbox: string) => tr('certificates.sharedMailbox', { mailbox }),
    previousTitle: (n: number) => tr('certificates.previousTitle', { n }),
    replacedOn: (when: string) => tr('certificates.replacedOn', { when }),
  },
  disclaimers: {
    changed: (name: string) => tr('disclaimers.changed', { name }),
    removed: (email: string) => tr('disclaimers.removed', { email }),
    forAddress: (email: string, provider: string) => tr('disclaimers.forAddress', { email, provider }),
  },
  enroll: {
    imported: (name: string) => tr('enroll.imported', { name }),
    logoAlt: (name: string) => tr('enroll.logoAlt', { name }),
  },
  onlineCa: {
    added: (name: string) => tr('onlineCa.added', { name }),
    nameTaken: (name: string) => tr('onlineCa.nameTaken', { name }),
  },
  flow: {
    otpSentTo: (to: string) => tr('flow.otpSentTo', { to }),
    signInTo: (provider: string, service: string) => tr('flow.signInTo', { provider, service }),
    signInToProvider: (provider: string) => tr('flow.signInToProvider', { provider }),
    changePasswordTitle: (reason: 'expired' | 'requested') => tr('flow.changePasswordTitle', { context: reason }),
    trustTitle: (host: string) => tr('flow.trustTitle', { host }),
    systemStoreWhy: (reason: string) => tr('flow.systemStoreWhy', { reason }),
    delay: (s: number) => tr('flow.delay', count(Math.max(0, s))),
    locked: (s: number) => tr('flow.locked', count(Math.max(0, s))),
    submitted: (s: number) => tr('flow.submitted', { seconds: s }),
    inProgress: (s: number) => tr('flow.inProgress', { seconds: s }),
    mfa: (state: string, authority: string) =>
      tr('flow.mfa', { state: known('flowProgress.mfaStates', state) ?? state, authority }),
    issued: (subject: string) => tr('flow.issued', { subject }),
    pending: (service: string) => tr('flow.pending', { service }),
    failed: (message: string) => tr('flow.failed', { message }),
    passwordChanged: (who: string) => tr('flow.passwordChanged', { who }),
    // The engine reports steps and failures as codes: named here in the user's language; a code of a newer core raw.
    step: (step: string) => known('flowProgress.steps', step) ?? step,
    failureReason: (code: string) => known('flowProgress.failures', code),
  },
  password: {
    expires: (user: string | undefined, where: string, days: number, date: string) => {
      const values = { where, user: user ? ` (${user})` : '', date };
      if (days < 0) return tr('password.expired', values);
      return days === 0 ? tr('password.expiresToday', values) : tr('password.expiresSoon', { ...values, count: days });
    },
  },
  messages: { from: (provider: string, when: string) => tr('messages.from', { provider, when }) },
  selfService: {
    available: (subject: string) => tr('selfService.available', { subject }),
    recipient: (n: number) => tr('selfService.recipient', { n }),
    email: (n: number) => tr('selfService.email', { n }),
    mobile: (n: number) => tr('selfService.mobile', { n }),
    mobileNeeded: (n: number) => tr('selfService.mobileNeeded', { n }),
    remove: (n: number) => tr('selfService.remove', { n }),
    badEmail: (value: string) => tr('selfService.badEmail', { value }),
    badMobile: (value: string) => tr('selfService.badMobile', { value }),
    missingMobile: (email: string) => tr('selfService.missingMobile', { email }),
    duplicate: (email: string) => tr('selfService.duplicate', { email }),
    issued: (email: string) => tr('selfService.issued', { email }),
    ordered: (email: string, order: string) => tr('selfService.ordered', { email, order }),
    failedOne: (email: string, why: string) => tr('selfService.failedOne', { email, why }),
    failedNoReason: (email: string) => tr('selfService.failedNoReason', { email }),
    skippedOne: (email: string) => tr('selfService.skippedOne', { email }),
    done: (ok: number, total: number) => tr('selfService.done', { ok, total }),
  },
  settings: {
    storeUnavailable: (why: string) => tr('settings.storeUnavailable', { why }),
    storeUsedBy: (programs: string[]) => (programs.length ? tr('settings.storeUsedBy', { programs }) : ''),
    removeProvider: (name: string) => tr('settings.removeProvider', { name }),
    providerRemoved: (name: string) => tr('settings.providerRemoved', { name }),
    version: (version: string) => tr('settings.version', { version }),
    licenseIs: (license: string) => tr('settings.licenseIs', { license }),
    logsOpened: (path: string) => tr('settings.logsOpened', { path }),
    logsAt: (path: string) => tr('settings.logsAt', { path }),
    languageSystem: (language: string) => tr('settings.languageSystem', { language }),
  },
  mfaAccounts: {
    at: (authority: string) => tr('mfaAccounts.at', { authority }),
    signOutOf: (username: string, authority: string) => tr('mfaAccounts.signOutOf', { username, authority }),
    signedOut: (username: string) => tr('mfaAccounts.signedOut', { username }),
  },
  scanner: {
    sentCounts: (sent: number, stored: number, skipped: number) => tr('scanner.sentCounts', { sent, stored, skipped }),
    oneShotDone: (when: string) => tr('scanner.oneShotDone', { when }),
    sourceCount: (source: string, storeType: string, n: number) => tr('scanner.sourceCount', { source, storeType, n }),
    /** Where a scan looked, in the user's language; a place this UI does not know shows the core's English. */
    place: (english: string, place?: { kind: string; where: string }) => {
      if (!place) return english;
      const key = place.kind === 'folders' && !place.where ? 'folders-none' : place.kind;
      return i18n.exists(`scanner.places.${key}`) ? tr(`scanner.places.${key}` as TextKey, { where: place.where }) : english;
    },
    sentOfRun: (sent: number, stored: number, skipped: number) => tr('scanner.sentOfRun', { sent, stored, skipped }),
    skippedFiles: (n: number) => tr('scanner.skippedFiles', count(n)),
    finished: (status: string, sent: number) => tr('scanner.finished', { status, sent }),
    more: (n: number) => tr('scanner.more', count(n)),
    removePath: (path: string) => tr('scanner.removePath', { path }),
  },
};

/** A view of one level of the resource: functions from `fns`, texts looked up in the current language on each read. */
function view(path: string, resource: Record<string, unknown>, fns: Record<string, unknown>): object {
  return new Proxy(
    {},
    {
      get(_target, key) {
        if (typeof key !== 'string') return undefined;
        const fn = fns[key];
        if (typeof fn === 'function') return fn;
        const value = resource[key];
        const full = `${path}${key}`;
        if (typeof value === 'string') return i18n.t(full);
        if (value && typeof value === 'object')
          return view(`${full}.`, value as Record<string, unknown>, (fn ?? {}) as Record<string, unknown>);
        return undefined; // an unknown record key (a scanner status of a newer core): callers fall back to the raw value
      },
      has: (_target, key) => typeof key === 'string' && (key in fns || key in resource),
      ownKeys: () => [...new Set([...Object.keys(resource), ...Object.keys(fns)])],
      getOwnPropertyDescriptor: (_target, key) =>
        typeof key === 'string' && (key in fns || key in resource) ? { enumerable: true, configurable: true } : undefined,
    },
  );
}

/** Lookups by a value from the core (a scan status…): an unknown one reads as undefined, and the caller shows it raw. */
type Lookup = Readonly<Record<string, string | undefined>>;
type Lookups = {
  readonly scanner: Record<'schedules' | 'triggers' | 'statuses' | 'outcomes' | 'storeTypeNames', Lookup>;
  readonly diagnostics: Record<'checks', Lookup>;
};

export const strings = view('', i18n.getResourceBundle('en', 'translation') as Record<string, unknown>, withValues) as Merge<
  Plain<Texts>,
  typeof withValues
> &
  Lookups;
