import path from 'node:path';
import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { cliEngine } from '../services';
import { scanReport, scanSettings, SETTINGS_OPTIONS } from './scan-report';
import { MissingInputError } from '../../engine/front-end';
import { RcdpError } from '../../rcdp/errors';
import { readScannerSettings, scanWithSilentSession, type ScanReport } from '../../scanner/index';

/**
 * keytalk-agent scan: the KeyTalk server's cert-scraping-settings decide what is scanned (schedule, purposes,
 * store types); --dry-run shows what would be sent without sending or recording anything.
 */
export const scanCommand: CliCommand = {
  name: 'scan',
  summary:
    'find certificates on this machine and report them to the KeyTalk server (as its cert-scraping settings ask); report: what was scanned and sent; settings: folders, private-key consent',
  usage: [
    'scan [--provider P --service S] [--dry-run] [--folder DIR]... [--include-expired]',
    'scan report',
    'scan settings [--add-folder DIR]... [--remove-folder DIR]... [--add-nssdb DIR]... [--remove-nssdb DIR]... [--expired on|off] [--send-private-keys on|off] [--scanning on|off]',
  ],
  options: {
    provider: { value: true, valueName: 'P', description: 'provider to report to (default: the most recent enrollment)' },
    service: {
      value: true,
      valueName: 'S',
      description: 'service (template) to sign in with (default: the most recent enrollment of the provider)',
    },
    'dry-run': { value: false, description: 'scan and show what would be sent; send and record nothing' },
    folder: {
      value: true,
      multiple: true,
      valueName: 'DIR',
      description: 'also scan PEM/DER/P12 files in this folder (adds to the scanner settings)',
    },
    'include-expired': { value: false, description: 'report expired certificates too' },
    'add-folder': { value: true, multiple: true, valueName: 'DIR', description: 'settings: always scan this folder too' },
    'remove-folder': { value: true, multiple: true, valueName: 'DIR', description: 'settings: stop scanning this folder' },
    'add-nssdb': {
      value: true,
      multiple: true,
      valueName: 'DIR',
      description: 'settings: also scan this NSS database folder (cert9.db)',
    },
    'remove-nssdb': { value: true, multiple: true, valueName: 'DIR', description: 'settings: stop scanning this NSS database' },
    expired: { value: true, valueName: 'on|off', description: 'settings: report expired certificates too' },
    scanning: {
      value: true,
      valueName: 'on|off',
      description:
        'settings: whether KeyTalk servers may have this computer scanned at all (policy lockedScannerConsent pins it)',
    },
    'send-private-keys': {
      value: true,
      valueName: 'on|off',
      description:
        'settings: upload unprotected private keys with their certificates when the server asks (they leave this machine)',
    },
  },
  async run(ctx, args) {
    const [sub, extra] = args.positionals;
    if (extra !== undefined || (sub !== undefined && sub !== 'report' && sub !== 'settings'))
      throw new UsageError(`unknown scan sub-command ${JSON.stringify(extra ?? sub)}; use scan, scan report or scan settings`);
    // Options of one form are mistakes in another: say where they belong instead of ignoring them.
    const given = Object.keys(args.options).filter((k) => !['home', 'json', 'help'].includes(k));
    const settingsOnly = given.filter((k) => (SETTINGS_OPTIONS as readonly string[]).includes(k));
    const runOnly = given.filter((k) => !settingsOnly.includes(k));
    if (sub !== 'settings' && settingsOnly.length) throw new UsageError(`--${settingsOnly[0]} belongs to "scan settings"`);
    if (sub && runOnly.length) throw new UsageError(`--${runOnly[0]} belongs to "scan" itself, not "scan ${sub}"`);
    if (sub === 'report') return scanReport(ctx);
    if (sub === 'settings') return scanSettings(ctx, args);
    const engine = cliEngine(ctx);
    const folders = ((args.options.folder as string[] | undefined) ?? []).map((f) => path.resolve(f));
    const saved = await readScannerSettings(ctx.home);
    let report: ScanReport;
    try {
      report = await scanWithSilentSession(engine, {
        provider: args.options.provider as string | undefined,
        service: args.options.service as string | undefined,
        trigger: 'manual',
        // The user's NSS databases and Firefox/Thunderbird profiles are found under the user's home.
        userHome: ctx.userHome,
        dryRun: args.options['dry-run'] === true,
        local: {
          folders: [...saved.folders, ...folders],
          ...(args.options['include-expired'] === true ? { includeExpired: true } : {}),
        },
      });
    } catch (err) {
      // The scanner's words serve the UI too, so the flag names are added here, for the command line only.
      const noTarget = /no enrollment|no certificate enrolled/.test((err as Error).message);
      const message = `${(err as Error).message}${noTarget ? ' (give --provider and --service)' : ''}`;
      const [exit, code] =
        err instanceof MissingInputError
          ? ([EXIT.authFailed, 'auth-failed'] as const)
          : err instanceof RcdpError
            ? ([EXIT.serverError, 'server-error'] as const)
            : noTarget
              ? ([EXIT.badInput, 'bad-input'] as const)
              : ([EXIT.internal, 'internal'] as const);
      if (ctx.json) ctx.emitJson({ status: 'failed', code, message });
      else ctx.stderr.write(`keytalk-agent: scan: ${message}\n`);
      return exit;
    }
    if (ctx.json) {
      ctx.emitJson(report);
    } else {
      for (const line of describeReport(report)) ctx.say(line);
    }
    return report.status === 'failed' ? EXIT.serverError : EXIT.ok;
  },
};

/** Human summary: the server's settings, what was scanned, what was (or would be) sent. */
export function describeReport(r: ScanReport): string[] {
  const out: string[] = [];
  const s = r.settings;
  if (s)
    out.push(
      `server settings: schedule ${s.schedule}; purposes ${s.purposes.join(', ') || '(none)'}; store types ${s.storeTypes.join(', ') || '(none)'}`,
    );
  for (const w of r.warnings) out.push(`warning: ${w}`);
  switch (r.status) {
    case 'disabled':
      out.push('the server does not ask for certificates (schedule "never"); nothing scanned');
      return out;
    case 'already-done':
      out.push('the one-shot scan for this server was already done; nothing scanned');
      return out;
    case 'unsupported':
      out.push('nothing scanned');
      return out;
  }
  for (const src of r.sources)
    out.push(
      `scanned ${src.description} [${src.storeType}]: ${src.error ? `failed: ${src.error}` : `${src.certificates} certificate(s)`}`,
    );
  if (r.excluded)
    out.push(
      `left out: ${r.excluded.expired} expired, ${r.excluded.purpose} not for an asked purpose, ${r.excluded.duplicate} duplicate(s), ${r.excluded.unreadable} unreadable`,
    );
  for (const sk of r.skippedItems) out.push(`skipped ${sk.location}: ${sk.reason}`);
  for (const i of r.items)
    out.push(
      `${i.outcome.padEnd(17)} ${i.sha256.slice(0, 16)}  ${i.subject}  [${i.purposes.join(', ')}]${i.withKey ? ' +key' : ''}`,
    );
  const sent = r.items.filter((i) => ['stored', 'skipped-by-server', 'unanswered'].includes(i.outcome)).length;
  if (r.status === 'dry-run')
    out.push(`dry run: ${r.items.filter((i) => i.outcome === 'would-send').length} certificate(s) would be sent; nothing sent`);
  else
    out.push(
      `${sent} certificate(s) sent in ${r.batches} request(s)${r.keysIncluded ? ' (with private keys, as agreed in the scanner settings)' : ''}`,
    );
  if (r.error) out.push(`upload failed: ${r.error} (nothing of the failed request was recorded; the next scan sends it again)`);
  return out;
}
