import path from 'node:path';
import { UsageError, type ParsedArgs } from '../args';
import type { CliContext } from '../command';
import { EXIT } from '../exit-codes';
import { table } from '../output';
import {
  scannerOverview,
  scannerSettingsFile,
  updateScannerSettings,
  type ScannerSettingsPatch,
  type ScannerUserSettings,
} from '../../scanner/index';

/** `scan settings` options; the other `scan` options belong to the scan run itself. */
export const SETTINGS_OPTIONS = [
  'add-folder',
  'remove-folder',
  'add-nssdb',
  'remove-nssdb',
  'expired',
  'send-private-keys',
  'scanning',
] as const;
const onOff = (name: string, v: unknown): boolean | undefined => {
  if (v === undefined) return undefined;
  if (v === 'on' || v === 'off') return v === 'on';
  throw new UsageError(`--${name} takes on or off, not ${JSON.stringify(v)}`);
};
const list = (v: unknown): string[] => ((v as string[] | undefined) ?? []).map((p) => path.resolve(p));

/** A broken settings file or a refused path is the user's to fix: exit 2 with the core's message. */
async function asUsage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function edit(current: string[], add: string[], remove: string[], kind: string): string[] | undefined {
  if (!add.length && !remove.length) return undefined;
  for (const r of remove)
    if (!current.includes(r))
      throw new UsageError(`${kind} ${r} is not in the scanner settings; configured: ${current.join(', ') || '(none)'}`);
  return [...current.filter((p) => !remove.includes(p)), ...add];
}

function describeSettings(s: ScannerUserSettings): string[] {
  return [
    `scanning:           ${s.scanningEnabled ? 'on (KeyTalk servers that ask may have this computer scanned)' : 'off (no scan runs, whatever a server asks)'}`,
    `folders:            ${s.folders.join(', ') || '(none)'}`,
    `NSS databases:      ${s.nssDbs.join(', ') || '(none)'}`,
    `include expired:    ${s.includeExpired ? 'on' : 'off'}`,
    `send private keys:  ${s.sendPrivateKeys ? 'on (unprotected private keys are uploaded to the KeyTalk server with their certificates)' : 'off (certificates only)'}`,
  ];
}

/** keytalk-agent scan settings [--add-folder P]… : show or change <home>/state/scanner-settings.json. */
export async function scanSettings(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const o = args.options;
  const current = (await asUsage(() => scannerOverview(ctx.home))).local;
  const patch: ScannerSettingsPatch = {};
  const folders = edit(current.folders, list(o['add-folder']), list(o['remove-folder']), 'folder');
  if (folders) patch.folders = folders;
  const nssDbs = edit(current.nssDbs, list(o['add-nssdb']), list(o['remove-nssdb']), 'NSS database');
  if (nssDbs) patch.nssDbs = nssDbs;
  const expired = onOff('expired', o.expired);
  if (expired !== undefined) patch.includeExpired = expired;
  const keys = onOff('send-private-keys', o['send-private-keys']);
  if (keys !== undefined) patch.sendPrivateKeys = keys;
  const scanning = onOff('scanning', o.scanning);
  if (scanning !== undefined) patch.scanningEnabled = scanning;
  const changed = Object.keys(patch).length > 0;
  const now = changed ? await asUsage(() => updateScannerSettings(ctx.home, patch)) : current;
  if (ctx.json) {
    ctx.emitJson(now);
    return EXIT.ok;
  }
  for (const line of describeSettings(now)) ctx.say(line);
  ctx.say(
    changed
      ? `saved in ${scannerSettingsFile(ctx.home)}`
      : `(from ${scannerSettingsFile(ctx.home)}; change with --add-folder, --remove-folder, --add-nssdb, --remove-nssdb, --expired, --send-private-keys, --scanning)`,
  );
  return EXIT.ok;
}

/** keytalk-agent scan report: per server what it asked for and what it has, and the last scans. */
export async function scanReport(ctx: CliContext): Promise<number> {
  const r = await asUsage(() => scannerOverview(ctx.home));
  if (ctx.json) {
    ctx.emitJson(r);
    return EXIT.ok;
  }
  for (const line of describeSettings(r.local)) ctx.say(line);
  if (!r.targets.length && !r.lastScans.length) {
    ctx.say('no scan has run yet (keytalk-agent scan, or enroll with a service whose server asks for certificates)');
    return EXIT.ok;
  }
  ctx.say('');
  ctx.say(
    table(
      r.targets.map((t) => [
        t.target,
        t.settings?.schedule ?? '(not read yet)',
        t.settings?.purposes.join(',') || '-',
        t.settings?.storeTypes.join(',') || '-',
        `${t.sent} (${t.stored} stored, ${t.skipped} skipped)`,
      ]),
      ['SERVER', 'SCHEDULE', 'PURPOSES', 'STORES', 'SENT'],
    ),
  );
  ctx.say('');
  ctx.say('last scans:');
  ctx.say(
    table(
      r.lastScans.map((s) => [
        s.at.replace(/\.\d+Z$/, 'Z'),
        s.target,
        s.trigger,
        s.status,
        String(s.scanned.reduce((n, x) => n + x.certificates, 0)),
        String(s.matched),
        `${s.sent} (${s.stored} stored, ${s.skippedByServer} skipped)`,
        [s.error, s.skippedItems ? `${s.skippedItems} file(s) skipped` : ''].filter(Boolean).join('; '),
      ]),
      ['WHEN', 'SERVER', 'TRIGGER', 'STATUS', 'SCANNED', 'MATCHED', 'SENT', 'PROBLEMS'],
    ).replace(/ +$/gm, ''),
  );
  // A run the server's settings stopped (schedule never, one-shot done) scanned nothing: show the last real one.
  const last = r.lastScans.find((s) => s.scanned.length);
  if (last) {
    ctx.say('');
    ctx.say(`sources of the last scan that scanned (${last.at}, ${last.target}):`);
    for (const x of last.scanned) ctx.say(`  ${x.source} [${x.storeType}]: ${x.certificates} certificate(s)`);
  }
  return EXIT.ok;
}
