import { createHash } from 'node:crypto';
import path from 'node:path';
import { homeLayout } from '../config/home';
import type { ProviderSummary } from '../ipc/contract';
import * as z from 'zod/mini';
import { writeJsonAtomic } from '../system/atomic-write';
import { withStateLock } from '../system/home-lock';
import { readStateFile } from '../system/state-file';

/**
 * Engine state kept under <home>/state, one JSON file per concern, each written atomically:
 *   messages.json            server messages (last-messages) with their read state
 *   pending-approvals.json   enrollments waiting for an approver; the scheduler re-polls them
 *   enrollments.json         what was enrolled how, by certificate fingerprint (renewal needs it)
 * Only non-secret data lives here; remembered credentials go to the SecretStore.
 */

export interface StoredMessage {
  id: string;
  provider: string;
  text: string;
  utc: string;
  read: boolean;
}

export interface PendingApproval {
  provider: string;
  service: string;
  format?: 'P12' | 'PEM' | 'P12v2';
  csr?: boolean;
  userId?: string;
  since: string;
  lastPolled: string;
  approvalOngoing: boolean;
}

export interface EnrollmentRecord {
  sha256Fingerprint: string;
  provider: string;
  service: string;
  format?: 'P12' | 'PEM' | 'P12v2';
  csr: boolean;
  userId?: string;
  subject: string;
  notBefore: string;
  notAfter: string;
  issuedAt: string;
  stores: string[];
  /** Set when the user chose "remember" so the scheduler may renew silently. */
  credentialsRemembered: boolean;
  /** How the identity was proved (absent in records written before it was kept). */
  auth?: 'seat' | 'credentials' | 'hwsig' | 'mfa' | 'kerberos';
  /**
   * A seat certificate: the server resolved a seat from USERID + computer-name (RCDP ≥ 2.8.0), so renewal can
   * use seat authentication (CMS challenge decrypted with this certificate's key) without the user.
   */
  seat?: { userId: string; computerName: string };
  /** The reply's extra fields (store-to-system, address books, S/MIME, disclaimer, historical certs). */
  extras: CertExtras;
  /** TPM-bound: the Public API's is-cert-tpm-attested answer right after issue (absent: not TPM-bound, or no answer). */
  tpmAttested?: boolean;
  /** The rcdp version that issued it, for support ('none' for an Online CA). */
  rcdpVersion: string;
  /**
   * Absent for KeyTalk; otherwise the provider kind that issued it ('onlineca'). Such a provider has no KeyTalk
   * Public API, so the scheduler renews it by its kind's renewal rule and schedules no keep-alive, messages or
   * disclaimer jobs.
   */
  providerKind?: Exclude<ProviderSummary['kind'], 'keytalk'>;
  /**
   * A renewal: the fingerprint of the certificate this one replaces. The old one is retired only once this one is
   * in every store; until then (a crash in between) the scheduler finds this field and finishes the switch-over.
   */
  replaces?: string;
}

export interface CertExtras {
  executeSync?: boolean;
  storeToSystem?: boolean;
  applyAddressBooks?: boolean;
  addressBooks?: { ldap_svr_url: string; search_base?: string; verification_ca?: string }[];
  applySmimeSettings?: boolean;
  setDisclaimer?: boolean;
  historicalCertFingerprints?: string[];
  /** historical-certs-url-templ: the out-of-band GZIP package of historical certificates (S/MIME work downloads it). */
  historicalCertsUrlTemplate?: string;
  passwordValidity?: number;
}

const file = (home: string, name: string) => path.join(homeLayout(home).state, name);

/*
 * The shapes checked on read (readStateFile): the fields the agent relies on; extra fields are kept. A file that
 * fails them is moved aside and read as empty, so a damaged informational file never blocks enroll or renew.
 */
const str = z.string();
const MessagesSchema = z.array(
  z.looseObject({ id: str, provider: str, text: str, utc: str, read: z.boolean() }),
) as unknown as z.ZodMiniType<StoredMessage[]>;
const ApprovalsSchema = z.array(
  z.looseObject({ provider: str, service: str, since: str, lastPolled: str, approvalOngoing: z.boolean() }),
) as unknown as z.ZodMiniType<PendingApproval[]>;
const EnrollmentsSchema = z.record(
  str,
  z.looseObject({ sha256Fingerprint: str, provider: str, service: str, subject: str, notAfter: str, stores: z.array(str) }),
) as unknown as z.ZodMiniType<Record<string, EnrollmentRecord>>;
const UsersSchema = z.record(str, str);

const readMessages = (f: string) => readStateFile(f, MessagesSchema, []);
const readApprovals = (f: string) => readStateFile(f, ApprovalsSchema, []);
const readEnrollments = (f: string) => readStateFile(f, EnrollmentsSchema, {});
const readUsers = (f: string) => readStateFile(f, UsersSchema, {});

/**
 * Read-modify-write under the home's state lock (app/system/home-lock.ts): the tray app, the daemon and CLI commands
 * may change these files at once, and without it one process's write drops the other's change.
 */
export function serialized<T>(f: string, fn: () => Promise<T>): Promise<T> {
  return withStateLock(path.dirname(f), fn);
}

export function messageId(provider: string, utc: string, text: string): string {
  return createHash('sha256').update(`${provider}\n${utc}\n${text}`).digest('hex').slice(0, 16);
}

export const messageStore = {
  async list(home: string): Promise<StoredMessage[]> {
    return readMessages(file(home, 'messages.json'));
  },
  /** Add new server messages (deduplicated); returns how many were new. */
  async add(home: string, provider: string, messages: { text: string; utc: string }[]): Promise<number> {
    const f = file(home, 'messages.json');
    return serialized(f, async () => {
      const all = await readMessages(f);
      const known = new Set(all.map((m) => m.id));
      let added = 0;
      for (const m of messages) {
        const id = messageId(provider, m.utc, m.text);
        if (known.has(id)) continue;
        known.add(id);
        all.push({ id, provider, text: m.text, utc: m.utc, read: false });
        added++;
      }
      if (added) await writeJsonAtomic(f, all);
      return added;
    });
  },
  async markRead(home: string, ids: string[]): Promise<void> {
    const f = file(home, 'messages.json');
    await serialized(f, async () => {
      const want = new Set(ids);
      const all = await readMessages(f);
      let changed = false;
      for (const m of all) {
        if (want.has(m.id) && !m.read) {
          m.read = true;
          changed = true;
        }
      }
      if (changed) await writeJsonAtomic(f, all);
    });
  },
  /** Newest message time we hold for a provider: the from-utc of the next last-messages call. */
  async latestUtc(home: string, provider: string): Promise<string | undefined> {
    const all = await this.list(home);
    let best: { utc: string; t: number } | undefined;
    for (const m of all) {
      if (m.provider !== provider) continue;
      const t = Date.parse(m.utc.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      if (!Number.isNaN(t) && (!best || t > best.t)) best = { utc: m.utc, t };
    }
    return best ? new Date(best.t).toISOString() : undefined;
  },
};

export const pendingApprovals = {
  async list(home: string): Promise<PendingApproval[]> {
    return readApprovals(file(home, 'pending-approvals.json'));
  },
  async upsert(home: string, entry: PendingApproval): Promise<void> {
    const f = file(home, 'pending-approvals.json');
    await serialized(f, async () => {
      const all = await readApprovals(f);
      const i = all.findIndex((p) => p.provider === entry.provider && p.service === entry.service);
      if (i >= 0) all[i] = { ...entry, since: all[i]!.since };
      else all.push(entry);
      await writeJsonAtomic(f, all);
    });
  },
  async remove(home: string, provider: string, service: string): Promise<void> {
    const f = file(home, 'pending-approvals.json');
    await serialized(f, async () => {
      const all = await readApprovals(f);
      const rest = all.filter((p) => !(p.provider === provider && p.service === service));
      if (rest.length !== all.length) await writeJsonAtomic(f, rest);
    });
  },
};

export const enrollments = {
  async list(home: string): Promise<EnrollmentRecord[]> {
    return Object.values(await readEnrollments(file(home, 'enrollments.json')));
  },
  async get(home: string, sha256Fingerprint: string): Promise<EnrollmentRecord | undefined> {
    const all = await readEnrollments(file(home, 'enrollments.json'));
    return all[sha256Fingerprint.toUpperCase()];
  },
  async put(home: string, record: EnrollmentRecord): Promise<void> {
    const f = file(home, 'enrollments.json');
    await serialized(f, async () => {
      const all = await readEnrollments(f);
      all[record.sha256Fingerprint.toUpperCase()] = record;
      await writeJsonAtomic(f, all);
    });
  },
  async remove(home: string, sha256Fingerprint: string): Promise<void> {
    const f = file(home, 'enrollments.json');
    await serialized(f, async () => {
      const all = await readEnrollments(f);
      if (delete all[sha256Fingerprint.toUpperCase()]) await writeJsonAtomic(f, all);
    });
  },
};

/** The last USERID used per provider/service: pre-filled next time (never a secret). */
export const rememberedUsers = {
  async get(home: string, provider: string, service: string): Promise<string | undefined> {
    const all = await readUsers(file(home, 'users.json'));
    return all[`${provider}\n${service}`] ?? all[provider];
  },
  async set(home: string, provider: string, service: string, userId: string): Promise<void> {
    const f = file(home, 'users.json');
    await serialized(f, async () => {
      const all = await readUsers(f);
      all[`${provider}\n${service}`] = userId;
      all[provider] = userId;
      await writeJsonAtomic(f, all);
    });
  },
};

/** Key under which remembered credentials live in the SecretStore. */
/** Secret stores may restrict key characters (file names): a digest keeps any provider/service name usable. */
export const credentialSecretKey = (provider: string, service: string) =>
  `credentials-${createHash('sha256').update(`${provider}\n${service}`).digest('hex').slice(0, 24)}`;
