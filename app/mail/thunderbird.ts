import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describeCertificate, splitPemBlocks } from '../crypto/cert-info';
import type { CommandRunner } from '../system/command-runner';
import { writeFileAtomic } from '../system/atomic-write';
import { pathExists } from '../system/path-exists';
import type { DisclaimerContent } from './disclaimer-zip';
import { nssDbKey } from './nss-dbkey';
import { detectProfileLock, type ProfileLock } from './profile-lock';
import { mailIdentities, parsePrefs, sameEmail, type MailIdentity, type PrefValue } from './prefs';
import {
  disclaimerAsHtml,
  disclaimerAsText,
  mergeHtmlSignature,
  mergeTextSignature,
  stripHtmlDisclaimer,
  textToHtml,
} from './signature-merge';
import { writeUserJsBlock } from './user-js';

/**
 * Thunderbird integration for one profile folder. Everything goes into our marked blocks of user.js (read at
 * Thunderbird's next start; prefs.js is never edited because Thunderbird overwrites it on exit) and, for
 * file signatures and the LDAP verification CA, into the signature file and the profile's NSS database.
 */
export interface ThunderbirdResult {
  profileDir: string;
  /** Identity keys changed ("id1"). */
  identities: string[];
  /** 'now' when Thunderbird is closed (read at its next start anyway), 'next-start' when it is running. */
  takesEffect: 'next-start' | 'now';
  lock: ProfileLock;
  notes: string[];
}

export interface ThunderbirdDeps {
  runner: CommandRunner;
  certutil?: string;
  platform?: NodeJS.Platform;
  isAlive?: (pid: number) => boolean;
}

export async function readProfileIdentities(profileDir: string): Promise<MailIdentity[]> {
  return mailIdentities(await readPrefsFile(path.join(profileDir, 'prefs.js')));
}

async function readPrefsFile(file: string): Promise<Map<string, PrefValue>> {
  try {
    return parsePrefs(await fs.readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
}

async function context(profileDir: string, deps: ThunderbirdDeps) {
  const lock = await detectProfileLock(profileDir, { platform: deps.platform, isAlive: deps.isAlive });
  return { lock, takesEffect: lock.inUse ? ('next-start' as const) : ('now' as const) };
}

const blockKey = (email: string) => email.trim().toLowerCase();

/**
 * apply-smime-settings: the certificate (already in the profile's NSS database as `nickname`) becomes the
 * signing and encryption certificate of every identity with the certificate's e-mail address (or `email`).
 * Historical certificates must never come here: they are for decrypting old mail only.
 */
export async function applyThunderbirdSmime(
  profileDir: string,
  cert: { certPem: string; nickname: string; email?: string; historical?: boolean; signByDefault?: boolean },
  deps: ThunderbirdDeps,
): Promise<ThunderbirdResult> {
  if (cert.historical)
    throw new Error('a historical certificate cannot become the signing identity; install it for decryption only');
  const emails = cert.email ? [cert.email] : describeCertificate(cert.certPem).emails;
  if (!emails.length)
    throw new Error(
      'the certificate has no e-mail address, so no mail identity can be matched; this service does not issue S/MIME certificates',
    );
  const { lock, takesEffect } = await context(profileDir, deps);
  const identities = (await readProfileIdentities(profileDir)).filter((id) => emails.some((e) => sameEmail(e, id.email)));
  const dbkey = nssDbKey(cert.certPem);
  const prefs: [string, PrefValue][] = [];
  for (const id of identities) {
    const p = `mail.identity.${id.key}.`;
    prefs.push(
      [`${p}signing_cert_name`, cert.nickname],
      [`${p}signing_cert_dbkey`, dbkey],
      [`${p}encryption_cert_name`, cert.nickname],
      [`${p}encryption_cert_dbkey`, dbkey],
      [`${p}sign_mail`, cert.signByDefault ?? true],
    );
  }
  const notes = identities.length ? [] : [`no Thunderbird identity uses ${emails.join(', ')}`];
  for (const e of emails)
    await writeUserJsBlock(profileDir, `smime ${blockKey(e)}`, emails.length === 1 || e === emails[0] ? prefs : []);
  return { profileDir, identities: identities.map((i) => i.key), takesEffect, lock, notes };
}

export interface LdapAddressBook {
  /** ldap:// or ldaps:// URL (host and optional port). */
  url: string;
  searchBase?: string;
  /** PEM CA(s) that issued the LDAPS server's certificate. */
  verificationCa?: string;
}

/** A stable pref-branch key per directory, so re-applying replaces instead of duplicating. */
export function ldapServerKey(url: string): string {
  return `keytalk_${url
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .toLowerCase()}`;
}

/** Thunderbird's LDAP directory URI: ldap[s]://host:port/<base DN>??sub?(objectclass=*) */
export function ldapDirectoryUri(book: LdapAddressBook): string {
  let u: URL;
  try {
    u = new URL(book.url);
  } catch {
    throw new Error(`address book URL "${book.url}" is not a URL; the KeyTalk server should send ldap://host or ldaps://host`);
  }
  const scheme = u.protocol.replace(':', '').toLowerCase();
  if (scheme !== 'ldap' && scheme !== 'ldaps')
    throw new Error(`address book URL "${book.url}" must start with ldap:// or ldaps://`);
  const port = u.port || (scheme === 'ldaps' ? '636' : '389');
  const base = (book.searchBase ?? decodeURIComponent(u.pathname.replace(/^\//, ''))).trim();
  return `${scheme}://${u.hostname}:${port}/${encodeURI(base).replace(/\?/g, '%3F')}??sub?(objectclass=*)`;
}

/**
 * apply-address-books: LDAP(S) directories as ldap_2.servers.* prefs (autocomplete on) and each verification
 * CA into the profile's NSS database as a trusted SSL CA, so Thunderbird can connect to the LDAPS server.
 */
export async function applyThunderbirdAddressBooks(
  profileDir: string,
  books: LdapAddressBook[],
  deps: ThunderbirdDeps,
): Promise<ThunderbirdResult> {
  const { lock, takesEffect } = await context(profileDir, deps);
  const prefs: [string, PrefValue][] = [];
  const notes: string[] = [];
  for (const book of books) {
    const key = ldapServerKey(book.url);
    const p = `ldap_2.servers.${key}.`;
    prefs.push(
      [`${p}description`, `KeyTalk: ${new URL(book.url).hostname}`],
      [`${p}uri`, ldapDirectoryUri(book)],
      [`${p}dirType`, 0],
      [`${p}filename`, `${key}.sqlite`],
      [`${p}maxHits`, 100],
    );
    for (const caPem of splitPemBlocks(book.verificationCa ?? '', 'CERTIFICATE')) {
      notes.push(await addTrustedCa(profileDir, caPem, deps));
    }
  }
  if (books.length) {
    prefs.push(
      ['ldap_2.autoComplete.useDirectory', true],
      ['ldap_2.autoComplete.directoryServer', `ldap_2.servers.${ldapServerKey(books[0]!.url)}`],
    );
  }
  await writeUserJsBlock(profileDir, 'address-books', prefs);
  return { profileDir, identities: [], takesEffect, lock, notes };
}

async function addTrustedCa(profileDir: string, caPem: string, deps: ThunderbirdDeps): Promise<string> {
  const info = describeCertificate(caPem);
  if (!info.isCa)
    throw new Error(
      `the address book's verification CA "${info.subject}" is not a CA certificate; fix the address book in the KeyTalk service`,
    );
  const nick = `KeyTalk LDAP CA ${info.subject.replace(/[^\w .,=-]/g, '')} ${info.sha256Fingerprint.slice(0, 8)}`;
  if (!(await pathExists(path.join(profileDir, 'cert9.db'))))
    return `no cert9.db in ${profileDir}: start Thunderbird once, then the CA is added next time`;
  const certutil = deps.certutil ?? 'certutil';
  const db = `sql:${profileDir}`;
  const r = await deps.runner.run({ command: certutil, args: ['-A', '-d', db, '-n', nick, '-t', 'C,,', '-a'], input: caPem });
  if (r.code !== 0)
    throw new Error(`certutil could not add the LDAP verification CA to ${profileDir}: ${(r.stderr || r.stdout).trim()}`);
  return `LDAP verification CA "${nick}" trusted in ${profileDir}`;
}

/**
 * Put the disclaimer into every signature of the identities with `email`, keeping the user's own signature.
 * File signatures (attach_signature + sig_file) are edited in place (atomically); inline ones (htmlSigText)
 * are written to user.js built from the user's current text in prefs.js. `content` undefined removes ours.
 */
export async function applyThunderbirdDisclaimer(
  profileDir: string,
  email: string,
  content: DisclaimerContent | undefined,
  deps: ThunderbirdDeps,
): Promise<ThunderbirdResult> {
  const { lock, takesEffect } = await context(profileDir, deps);
  const identities = (await readProfileIdentities(profileDir)).filter((id) => sameEmail(id.email, email));
  const prefs: [string, PrefValue][] = [];
  const notes: string[] = [];
  const html = content ? inlineImages(disclaimerAsHtml(content), content.images) : undefined;
  const text = content ? disclaimerAsText(content) : undefined;
  for (const id of identities) {
    const p = `mail.identity.${id.key}.`;
    const sigFile = signatureFile(profileDir, id.prefs, deps.platform ?? process.platform);
    if (id.prefs.get('attach_signature') === true && sigFile) {
      const isHtml = /\.html?$/i.test(sigFile);
      let own = '';
      try {
        own = await fs.readFile(sigFile, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      const next = isHtml ? mergeHtmlSignature(own, html) : mergeTextSignature(own, text);
      if (next !== own) await writeFileAtomic(sigFile, next);
      notes.push(`${id.key}: signature file ${sigFile}`);
      continue;
    }
    const current = String(id.prefs.get('htmlSigText') ?? '');
    const wasHtml = id.prefs.get('htmlSigFormat') === true;
    if (content === undefined) {
      prefs.push([`${p}htmlSigText`, mergeHtmlSignature(current, undefined)]);
      continue;
    }
    // An HTML disclaimer in a plain-text signature makes it HTML; the user's text is kept, escaped.
    const ownHtml = wasHtml ? current : textToHtml(stripHtmlDisclaimer(current));
    prefs.push([`${p}htmlSigText`, mergeHtmlSignature(ownHtml, html)], [`${p}htmlSigFormat`, true]);
  }
  if (!identities.length) notes.push(`no Thunderbird identity uses ${email}`);
  await writeUserJsBlock(profileDir, `disclaimer ${blockKey(email)}`, prefs);
  return { profileDir, identities: identities.map((i) => i.key), takesEffect, lock, notes };
}

/** Thunderbird signatures cannot reference files next to them; images from the zip become data: URIs. */
function inlineImages(html: string | undefined, images: Map<string, Buffer>): string | undefined {
  if (html === undefined) return undefined;
  let out = html;
  for (const [name, data] of images) {
    const ext = name.split('.').pop()!.toLowerCase();
    const mime = ext === 'png' ? 'image/png' : ext === 'gif' ? 'image/gif' : 'image/jpeg';
    out = out.split(`src="${name}"`).join(`src="data:${mime};base64,${data.toString('base64')}"`);
  }
  return out;
}

function signatureFile(profileDir: string, prefs: Map<string, PrefValue>, platform: NodeJS.Platform): string | undefined {
  // Windows prefs hold C:\… paths; the [ProfD] relative form always uses "/".
  const p = platform === 'win32' ? path.win32 : path.posix;
  const rel = prefs.get('sig_file-rel');
  if (typeof rel === 'string' && rel.startsWith('[ProfD]')) return p.join(profileDir, ...rel.slice(7).split('/'));
  const abs = prefs.get('sig_file');
  return typeof abs === 'string' && p.isAbsolute(abs) ? abs : undefined;
}
