import { coreText, type CoreText } from '../model/core-text';
import type { ProviderRecord } from './types';

/**
 * Whether an RCCD vouches for itself. A v1 manifest that is unsigned proves nothing about its author; one that is
 * signed is verified against CAs the RCCD itself carries, so the signature proves the file is intact, not who
 * made it. Either way the CAs it installs decide which server receives the user's password, so the import needs
 * an explicit yes (`--accept-unsigned`, or the app's confirmation). RCCD v2 has no signature by format; its
 * warnings (e.g. a "CA" that is not a CA) are shown but do not block.
 */
export class RccdTrustError extends Error {
  readonly reasons: string[];
  constructor(readonly texts: CoreText[]) {
    const reasons = texts.map((t) => t.message);
    super(
      `This RCCD is not signed by anyone the agent already trusts: ${reasons.join('; ')}. ` +
        'Import it only if it came from your KeyTalk administrator over a channel you trust, and confirm with ' +
        '--accept-unsigned (keytalk-agent rccd import FILE --accept-unsigned) or in the app',
    );
    this.name = 'RccdTrustError';
    this.reasons = reasons;
  }
}

/** The reasons an import of `parsed` must be confirmed; empty when none. */
export function unconfirmedTrust(parsed: Pick<ProviderRecord, 'source'>): string[] {
  return unconfirmedTrustTexts(parsed).map((t) => t.message);
}

/** The same reasons coded for the UI's languages (app/model/core-text.ts): the window's confirmation lists them. */
export function unconfirmedTrustTexts(parsed: Pick<ProviderRecord, 'source'>): CoreText[] {
  const source = parsed.source;
  if (source?.rccdVersion !== 1) return [];
  if (source.signature === 'absent') return [coreText('rccd.unsigned', 'its v1 manifest is unsigned')];
  return [coreText('rccd.self-vouched', 'its v1 manifest is signed only by a CA carried inside the RCCD itself (self-vouched)')];
}
