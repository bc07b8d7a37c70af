import { readFile } from 'node:fs/promises';
import { processRunner, type CommandRunner } from '../system/command-runner';
import { findTgt, parseCcache, principalName } from './ccache';
import type { TicketLookup } from './ticket-param';

export type { KerberosTicketParam, TicketLookup } from './ticket-param';

export interface TicketSourceDeps {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  runner?: CommandRunner;
  now?: () => Date;
  uid?: number;
  read?: (path: string) => Promise<Buffer>;
}

/** Seconds of validity a ticket must still have: the server validates it a moment after we read it. */
const MIN_REMAINING_SECONDS = 30;

/**
 * Which credential cache the user's Kerberos tools use: KRB5CCNAME, else what `klist` reports (it knows the
 * krb5.conf default_ccache_name), else MIT's compiled-in default FILE:/tmp/krb5cc_<uid>.
 */
export async function locateCache(deps: TicketSourceDeps): Promise<string> {
  if (deps.env.KRB5CCNAME) return deps.env.KRB5CCNAME;
  const runner = deps.runner ?? processRunner;
  const r = await runner.run({ command: 'klist', args: [], env: stringEnv(deps.env), timeoutMs: 5000 }).catch(() => undefined);
  const text = r ? `${r.stdout}\n${r.stderr}` : '';
  const named = /Ticket cache:\s*(\S+)/.exec(text) ?? /No credentials cache found \(filename: ([^)]+)\)/.exec(text);
  if (named?.[1]) return named[1];
  return `FILE:/tmp/krb5cc_${deps.uid ?? process.getuid?.() ?? 0}`;
}

/** A cache name as a file to read, or why it cannot be read directly. */
export function cacheFile(name: string): { file: string } | { reason: string } {
  const m = /^([A-Z]+):(.*)$/.exec(name);
  if (!m) return { file: name }; // no type prefix: a FILE cache path
  const [, type, rest] = m;
  if (type === 'FILE') return { file: rest! };
  // DIR::/path/tkt names one file of a directory collection (klist shows the primary one that way).
  if (type === 'DIR' && rest!.startsWith(':')) return { file: rest!.slice(1) };
  if (type === 'DIR') return { reason: `the credential cache ${name} is a directory collection; select one with kswitch` };
  return {
    reason: `the credential cache ${name} is of type ${type}, which the agent cannot read; set KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u) and kinit again to use Kerberos sign-on`,
  };
}

/**
 * The user's TGT as the spec's kerberos-ticket, or the reason there is none (no cache, no TGT, expired): the
 * caller then signs on with the template's other credentials, as the spec says.
 */
export async function readKerberosTicket(deps: TicketSourceDeps): Promise<TicketLookup> {
  if (deps.platform === 'win32') {
    // Windows keeps tickets in the LSA, not in a ccache (windows-lsa.ts; loaded only there).
    const { readWindowsTicket } = await import('./windows-lsa');
    return readWindowsTicket({ runner: deps.runner ?? processRunner, now: deps.now });
  }
  if (deps.platform === 'darwin') return { reason: 'Kerberos sign-on is not implemented on macOS yet' };
  const name = await locateCache(deps);
  const located = cacheFile(name);
  if ('reason' in located) return located;
  let raw: Buffer;
  try {
    raw = await (deps.read ?? readFile)(located.file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      reason:
        code === 'ENOENT'
          ? `no Kerberos credential cache at ${located.file} (run kinit)`
          : `cannot read ${located.file}: ${(e as Error).message}`,
    };
  }
  let tgt;
  try {
    tgt = findTgt(parseCcache(raw));
  } catch (e) {
    return { reason: `the credential cache ${located.file} is unreadable: ${(e as Error).message}` };
  }
  if (!tgt) return { reason: `the credential cache ${located.file} holds no ticket-granting ticket (run kinit)` };
  const now = (deps.now ?? (() => new Date()))();
  if (tgt.endTime.getTime() - now.getTime() < MIN_REMAINING_SECONDS * 1000) {
    return { reason: `the Kerberos ticket of ${principalName(tgt.client)} expired at ${tgt.endTime.toISOString()} (run kinit)` };
  }
  return {
    cache: located.file,
    ticket: {
      'client-principal': principalName(tgt.client),
      'session-key': tgt.key.toString('base64'),
      'session-key-encoding': String(tgt.keyType),
      tgt: tgt.ticket.toString('base64'),
      'tgt-flags': String(tgt.flags >>> 0),
      'start-time': iso(tgt.startTime.getTime() ? tgt.startTime : tgt.authTime),
      'end-time': iso(tgt.endTime),
      'renew-till': iso(tgt.renewTill.getTime() ? tgt.renewTill : tgt.endTime),
    },
  };
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
