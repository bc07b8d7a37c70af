/**
 * Putting a certificate into an NSS database (always inside the store's backup, so a failure restores the files):
 * - the end-entity with its key through pk12util (a throw-away PKCS#12), without a key through `certutil -A`;
 * - nicknames "KeyTalk <provider> <service> <CN>" (or the bundle label), unique in the database. NSS forces
 *   certificates with the same subject to share a nickname on import, so a renewed certificate is renamed
 *   (`certutil --rename`) to its own nickname afterwards; that keeps "remove the old one" unambiguous;
 * - trust: the end-entity gets none (pk12util marks it u,u,u because it has a key), chain certificates ",,",
 *   and a root "CT,C,C" only when AddOptions.trustRoot asks (the RCCD says the CA should be trusted).
 */
import { crashPoint } from '../system/crash-point';
import { writeImportP12 } from './bundle-p12';
import { certFacts, commonName, normalizeFingerprint, parseCertificate, type CertFacts } from './cert-summary';
import type { NssTools, TempDir } from './nss-certutil';
import type { NssEntry } from './nss-entries';
import { StoreError, type CertificateBundle } from './store';

/** What the import steps need of the store: its tools and a fresh listing. */
export interface NssImportContext {
  storeId: string;
  dbDir: string;
  tools: NssTools;
  entries: () => Promise<NssEntry[]>;
}

/**
 * A nickname no certificate uses yet: the desired one, or with " (2)", " (3)"... A renewed certificate (same
 * subject as the one it replaces) gets its own name too, so the old one can be removed by name afterwards.
 */
export function uniqueNickname(desired: string, existing: { nickname: string }[]): string {
  const taken = (n: string) => existing.some((e) => e.nickname === n);
  if (!taken(desired)) return desired;
  for (let i = 2; ; i++) {
    const candidate = `${desired} (${i})`;
    if (!taken(candidate)) return candidate;
  }
}

export function desiredNickname(bundle: CertificateBundle, facts: CertFacts): string {
  const cn = commonName(facts.subject) ?? facts.serialNumber;
  const raw = bundle.origin
    ? `KeyTalk ${bundle.origin.provider} ${bundle.origin.service} ${cn}`
    : bundle.label || `KeyTalk ${cn}`;
  // ":" separates a token name from a nickname in NSS, so it cannot appear in one.
  return raw.replace(/:/g, '-').replace(/\s+/g, ' ').trim();
}

/** Import the bundle under `nickname` and return its entry (renamed to `nickname` when NSS reused another name). */
export async function importBundle(
  ctx: NssImportContext,
  tmp: TempDir,
  bundle: CertificateBundle,
  nickname: string,
  facts: CertFacts,
): Promise<NssEntry> {
  const { tools } = ctx;
  if (bundle.keyPem) {
    const { file: p12, password: p12Password } = await writeImportP12(tmp.dir, bundle, { friendlyName: nickname });
    const p12PwFile = await tmp.secretFile('p12.pw', p12Password);
    crashPoint('nss-import');
    await tools.pk12util(['-i', p12, '-d', tools.db, '-w', p12PwFile, '-k', tmp.tokenPwFile]);
  } else {
    await tools.certutil(['-A', '-d', tools.db, '-n', nickname, '-t', ',,', '-a', '-f', tmp.tokenPwFile], bundle.certPem);
    for (const ca of bundle.chainPem) await addCaIfMissing(ctx, ca, tmp.tokenPwFile);
  }
  const find = async () => (await ctx.entries()).find((e) => e.sha256Fingerprint === facts.sha256Fingerprint);
  let ours = await find();
  if (!ours)
    throw new StoreError(
      ctx.storeId,
      `${tools.certutilPath}/pk12util reported success but ${facts.subject} is not in ${ctx.dbDir}`,
    );
  if (ours.nickname !== nickname) {
    // NSS gave it the nickname of an existing certificate with the same subject; give it its own.
    const rename = (from: string, to: string) =>
      tools.certutil(['--rename', '-n', from, '--new-n', to, '-d', tools.db, '-f', tmp.tokenPwFile]);
    await rename(ours.nickname, nickname);
    ours = (await find())!;
    // The rename hit the other certificate (NSS renames the "best" one): undo, keep the shared name.
    if (ours.nickname !== nickname) await rename(nickname, ours.nickname);
  }
  return ours;
}

/** Mark the self-signed CA certificates of the chain "CT,C,C" (adding them first when absent). */
export async function trustRoots(ctx: NssImportContext, bundle: CertificateBundle, tmp: TempDir): Promise<void> {
  const { tools } = ctx;
  const entries = await ctx.entries();
  for (const pem of bundle.chainPem) {
    const cert = parseCertificate(pem);
    if (!cert.ca || cert.subject !== cert.issuer || !cert.checkIssued(cert)) continue;
    const fp = normalizeFingerprint(cert.fingerprint256);
    let e = entries.find((x) => x.sha256Fingerprint === fp);
    if (!e) {
      await addCaIfMissing(ctx, pem, tmp.tokenPwFile);
      e = (await ctx.entries()).find((x) => x.sha256Fingerprint === fp);
    }
    if (e) await tools.certutil(['-M', '-n', e.nickname, '-t', 'CT,C,C', '-d', tools.db, '-f', tmp.tokenPwFile]);
  }
}

async function addCaIfMissing(ctx: NssImportContext, pem: string, tokenPwFile: string): Promise<void> {
  const cert = parseCertificate(pem);
  const fp = normalizeFingerprint(cert.fingerprint256);
  const entries = await ctx.entries();
  if (entries.some((e) => e.sha256Fingerprint === fp)) return;
  const facts = certFacts(cert);
  const base = (commonName(facts.subject) ?? facts.subject).replace(/:/g, '-');
  const nick = uniqueNickname(base, entries);
  await ctx.tools.certutil(['-A', '-d', ctx.tools.db, '-n', nick, '-t', ',,', '-a', '-f', tokenPwFile], pem);
}
