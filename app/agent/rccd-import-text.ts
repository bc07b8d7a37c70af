import { textOf, withText, type CoreTextCode } from '../model/core-text';

/**
 * Why an RCCD import was refused, coded for the UI's languages (app/model/core-text.ts): the parser's and the zip
 * guard's English sentences name the exact defect for support (and stay the message), the user reads what it
 * means for them — not a provider file, unsafe, damaged, too large, not newer. Matched by class name, so the
 * import's lazily loaded modules (zip-guard, rccd-parse) are not loaded here just to be compared against.
 */
export function codedImportError(err: unknown, fileName: string): unknown {
  if (!(err instanceof Error) || textOf(err)) return err;
  const code = importCode(err);
  if (!code) return err;
  const e = err as Error & { installed?: number; offered?: number };
  if (code === 'rccd.not-newer') {
    const name = /Provider "([^"]+)"/.exec(err.message)?.[1] ?? fileName;
    return withText(err, code, { name, installed: e.installed ?? 0, offered: e.offered ?? 0 });
  }
  if (code === 'rccd.onlineca-exists') {
    return withText(err, code, { name: /named "([^"]+)"/.exec(err.message)?.[1] ?? fileName });
  }
  return withText(err, code, { file: fileName });
}

function importCode(err: Error): CoreTextCode | undefined {
  switch (err.name) {
    case 'UnsafeZipError':
      // The zip guard's sentences say which: not a zip at all, a damaged archive, one too big, or a hostile one.
      if (/is this really an \.rccd file\?/.test(err.message)) return 'rccd.not-rccd';
      if (/damaged|truncated|CRC|not valid deflate|but declares/.test(err.message)) return 'rccd.damaged';
      if (/at most|more than|zip bomb/.test(err.message)) return 'rccd.too-large';
      return 'rccd.unsafe';
    case 'RccdLimitError':
      return 'rccd.too-large';
    case 'RccdFormatError':
    case 'LibconfigError':
      return 'rccd.damaged';
    case 'RccdVersionError':
      return 'rccd.not-newer';
  }
  return /^An Online CA provider named "/.test(err.message) ? 'rccd.onlineca-exists' : undefined;
}
