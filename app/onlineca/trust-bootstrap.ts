import { randomBytes, X509Certificate } from 'node:crypto';
import { isBusyStatus, parseRetryAfter, retryAfterText } from '../system/retry-after';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { derToPem, splitPemBlocks } from '../crypto/pem';
import { expectAnswer, FlowFailure, type FlowFrontEnd } from '../engine/front-end';
import { coreText, withText } from '../model/core-text';
import { ChainError, verifyChain } from './chain';
import { onlineCaFetch, type TlsTrust } from './http';
import { loadOnlineCaProvider, providerDir, saveOnlineCaProvider, trustRootsDir, type OnlineCaTrust } from './provider';
import { parseTrustRoots, TRUST_ROOTS_LIMITS, TrustRootsError, type ParsedTrustRoots } from './trust-roots-parse';

/**
 * Trust bootstrap: fetch the trust roots, decide whether to believe them, and keep them as the provider's trust
 * root folder. The first fetch cannot be verified (the roots are what we are fetching), so belief comes from the
 * user confirming the CA fingerprints (trust on first use) or from a fingerprint pinned in configuration. Either
 * way the server's own TLS chain must verify against the roots it sent. After that every call, including a later
 * refresh of the roots, verifies TLS against the stored roots only.
 */

export interface BootstrapOptions {
  frontEnd: FlowFrontEnd;
  now?: number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
}

/** "AB:CD:…" for people to compare with what the CA operator publishes. */
export function formatFingerprint(hex: string): string {
  return hex.match(/.{2}/g)?.join(':') ?? hex;
}

/** Every CA certificate (PEM) in the provider's stored trust root folder. */
export async function readTrustRootPems(home: string, name: string): Promise<string[]> {
  const dir = trustRootsDir(home, name);
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw withText(
        new FlowFailure(
          'tls',
          `Online CA provider "${name}" has no trust roots yet; run the trust bootstrap (enroll does it) first`,
        ),
        'onlineca.no-trust-roots',
        { name },
      );
    }
    throw err;
  }
  const pems: string[] = [];
  for (const f of entries.sort()) {
    const data = await fs.readFile(path.join(dir, f));
    const blocks = splitPemBlocks(data.toString('latin1'), 'CERTIFICATE');
    if (blocks.length > 0) pems.push(...blocks);
    else if (data[0] === 0x30) {
      try {
        pems.push(derToPem(new X509Certificate(data).raw, 'CERTIFICATE'));
      } catch {
        // Not a certificate (signing policy and the like): kept in the folder, not used for trust.
      }
    }
  }
  if (pems.length === 0)
    throw withText(
      new FlowFailure('tls', `The trust root folder ${dir} holds no CA certificate; run the trust bootstrap again`),
      'onlineca.no-trust-roots',
      { name },
    );
  return pems;
}

/** Replace <provider>/trustroots/ as a whole: build a sibling folder, then swap it in with renames. */
async function writeTrustRootFolder(home: string, name: string, parsed: ParsedTrustRoots): Promise<void> {
  const parent = providerDir(home, name);
  const target = trustRootsDir(home, name);
  const tmp = path.join(parent, `.trustroots-${randomBytes(6).toString('hex')}`);
  await fs.mkdir(tmp, { recursive: true });
  try {
    for (const f of parsed.files) {
      // Names were checked by the parser (no separators, no ".."); 'wx' also refuses to follow anything odd.
      const handle = await fs.open(path.join(tmp, f.name), 'wx', 0o644);
      try {
        await handle.writeFile(f.content);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    const old = `${target}.old-${randomBytes(4).toString('hex')}`;
    const hadOld = await fs.rename(target, old).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return false;
        throw err;
      },
    );
    await fs.rename(tmp, target);
    if (hadOld) await fs.rm(old, { recursive: true, force: true });
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

export interface BootstrapResult {
  trust: OnlineCaTrust;
  certificates: ParsedTrustRoots['certificates'];
  /** True when the roots were fetched over an already-verified connection (a refresh). */
  refreshed: boolean;
}

export async function bootstrapTrust(home: string, name: string, options: BootstrapOptions): Promise<BootstrapResult> {
  const record = await loadOnlineCaProvider(home, name);
  const now = options.now ?? Date.now();
  const host = new URL(record.trustRootsUrl).host;
  const refreshing = record.trust !== undefined;
  const trust: TlsTrust = refreshing
    ? { mode: 'verified', caPems: await readTrustRootPems(home, name) }
    : { mode: 'first-contact' };
  const fetching = coreText('step.fetching-roots', `fetching trust roots from ${host}`, { host });
  options.frontEnd.progress({ kind: 'step', step: 'trust-roots', detail: fetching.message, detailText: fetching });

  const reply = await onlineCaFetch(record.trustRootsUrl, {
    method: 'GET',
    trust,
    maxBytes: TRUST_ROOTS_LIMITS.maxReplyBytes,
    timeoutMs: options.timeoutMs,
  });
  if (isBusyStatus(reply.status)) {
    const wait = parseRetryAfter(reply.headers['retry-after']);
    throw withText(
      new FlowFailure(
        'server-error',
        `The Online CA at ${host} is busy (HTTP ${reply.status}) fetching its trust roots${retryAfterText(wait) || '; try again later'}`,
        { retryAfterMs: wait },
      ),
      'onlineca.busy',
      { host },
    );
  }
  if (reply.status === 500) {
    throw withText(
      new FlowFailure(
        'server-error',
        `The Online CA at ${host} had a server error fetching its trust roots (HTTP 500); try again later or tell its operator`,
      ),
      'onlineca.server-error',
      { host },
    );
  }
  if (reply.status !== 200) {
    throw withText(
      new FlowFailure(
        'protocol',
        `The Online CA at ${host} answered the trust roots request with HTTP ${reply.status}; check the URL ${record.trustRootsUrl}`,
      ),
      'onlineca.trust-roots-status',
      { host, status: reply.status, url: record.trustRootsUrl },
    );
  }
  let parsed: ParsedTrustRoots;
  try {
    parsed = parseTrustRoots(reply.body);
  } catch (err) {
    if (err instanceof TrustRootsError)
      throw withText(
        new FlowFailure('protocol', `${err.message} (from ${host}); nothing was stored`, { cause: err }),
        'onlineca.trust-roots-bad',
        { host },
      );
    throw err;
  }

  // The server must be one these roots vouch for, or they are not its roots (and could not verify it later).
  const anchors = parsed.certificates.map((c) => c.pem);
  let tlsPath: X509Certificate[];
  try {
    const [leaf, ...rest] = reply.peerChainPem;
    if (!leaf) throw new ChainError('the server presented no TLS certificate');
    tlsPath = verifyChain(leaf, anchors, rest, now);
  } catch (err) {
    if (err instanceof ChainError) {
      throw withText(
        new FlowFailure(
          'tls',
          `The trust roots from ${host} do not vouch for its own TLS certificate (${err.message}); refusing them`,
          {
            cause: err,
          },
        ),
        'onlineca.roots-not-vouching',
        { host },
      );
    }
    throw err;
  }
  const pathFingerprints = tlsPath.map((x) => x.fingerprint256.replace(/:/g, ''));

  let method: OnlineCaTrust['method'];
  if (record.pinnedFingerprint) {
    if (!pathFingerprints.includes(record.pinnedFingerprint)) {
      // Both fingerprints go to the window too: the helpdesk compares them with the CA operator's.
      const pinned = formatFingerprint(record.pinnedFingerprint);
      const actual = pathFingerprints.slice(1).map(formatFingerprint).join(' and ');
      throw withText(
        new FlowFailure(
          'tls',
          `Pinned fingerprint mismatch for ${host}: configuration pins ${pinned}, but the server's chain goes through ${actual}. Nothing was trusted; check the pin with the CA's operator.`,
        ),
        'onlineca.pin-mismatch',
        { host, pinned, actual },
      );
    }
    method = 'pin';
  } else if (refreshing) {
    // Fetched over TLS verified by the roots the user accepted before: no new question.
    method = record.trust!.method;
  } else {
    const answer = await options.frontEnd.prompt({
      kind: 'confirm-trust',
      host,
      fingerprints: parsed.certificates.map((c) => `${c.subject} — SHA-256 ${formatFingerprint(c.sha256Fingerprint)}`),
      certificates: parsed.certificates.map((c) => ({ subject: c.subject, sha256: formatFingerprint(c.sha256Fingerprint) })),
    });
    if (!expectAnswer(answer, 'confirm-trust').accept) {
      throw withText(
        new FlowFailure('cancelled', `Trust in the Online CA at ${host} was not confirmed; nothing was stored`),
        'onlineca.trust-not-confirmed',
        { host },
      );
    }
    method = 'tofu';
  }

  await writeTrustRootFolder(home, name, parsed);
  const trustRecord: OnlineCaTrust = {
    method,
    fingerprints: parsed.certificates.map((c) => c.sha256Fingerprint),
    acceptedAt: new Date(now).toISOString(),
    format: parsed.format,
  };
  await saveOnlineCaProvider(home, { ...(await loadOnlineCaProvider(home, name)), trust: trustRecord });
  return { trust: trustRecord, certificates: parsed.certificates, refreshed: refreshing };
}
