import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { events, requests } from '../app/ipc/contract';
import { CoreText } from '../app/model/core-text-schema';

// Issue 19: no core-produced sentence reaches the window in English only. Every text field the core sends the UI
// (each string in a response or event of the IPC contract, app/ipc/contract.ts) is walked here and must be named
// below as one of:
//  - data: a name, id, address, date, path or number the UI shows as it is (or only passes back);
//  - coded: an English sentence with its coded twin beside it (a CoreText field), which the UI renders;
//  - server: the KeyTalk server's (or its administrator's) own words, which no one can translate: the UI shows them
//    inside a translated frame that says whose words they are;
//  - code: a fixed word the UI maps to its own text (a status, a step, a kind);
//  - english: still English, with the reason;
//  - elsewhere: open-ended data, whose texts a named test checks.
// A new string field fails this test until its author decides which it is; a 'coded' field whose twin is gone fails.

type Kind =
  { data: true } | { coded: string } | { server: string } | { code: true } | { english: string } | { elsewhere: string };
const data = { data: true } as const;
const code = { code: true } as const;

/** Field names that are data wherever they occur. */
const dataNames = new Set([
  'version',
  'home',
  'name',
  'server',
  'logo',
  'nextRenewal',
  'activeFlow',
  'policyRevision',
  'provider',
  'service',
  'userId',
  'expiresAt',
  'flowId',
  'sha256Fingerprint',
  'serialNumber',
  'subject',
  'issuer',
  'notBefore',
  'notAfter',
  'stores',
  'renewAt',
  'sharedMailbox',
  'replacedBy',
  'replacedAt',
  'id',
  'utc',
  'fileName',
  'dataBase64',
  'since',
  'lastPolled',
  'email',
  'emails',
  'appliedTo',
  'checkedAt',
  'appliedAt',
  'orderId',
  'url',
  'searchBase',
  'verificationCa',
  'agent',
  'electron',
  'node',
  'chrome',
  'rcdpVersions',
  'license',
  'location',
  'usedBy',
  'path',
  'folders',
  'nssDbs',
  'target',
  'at',
  'oneShotDoneAt',
  'source',
  'sha256',
  'authority',
  'clientId',
  'username',
  'scope',
  'entries',
  'pkcs11Tokens',
  'host',
  'fingerprints',
  'sentTo',
  'responseNames',
  'skipped',
  'value',
]);

/** Every other string, by its path (channel, then fields; [] an array element, {} a record value). */
const paths: Record<string, Kind> = {
  '*.lastError': { coded: 'lastErrorText' },
  '*.repaired[]': { coded: 'repairedTexts[]' },
  '*.policyWarnings[]': { coded: 'policyWarningTexts[]' },
  '*.supportContact': { server: 'the organisation’s policy text, shown as its contact line' },
  '*.providers[].warnings[]': { english: 'RCCD import remarks for the CLI and log; the window does not show them' },
  '*.autoEnrollPending[].reason': { english: 'the log’s detail; the window says in its own words that the user is needed' },
  'providers:*.warnings[]': { english: 'RCCD import remarks for the CLI and log; the window does not show them' },
  'providers:import-rccd.needsConfirmation[]': { coded: 'needsConfirmationTexts[]' },
  'certs:list[].renewReason': { coded: 'renewReasonText' },
  'messages:list[].text': { server: 'the server’s message, on the page of the server’s messages' },
  'approvals:check[].status': code,
  'approvals:check[].message': { english: 'the outcome’s detail for the CLI; the window shows only how many were issued' },
  'disclaimers:*[].preview': { server: 'the administrator’s signature text' },
  'smime:availability.reason': { server: 'framed as core server.says ("The KeyTalk server says: …")' },
  'smime:availability.explanation': { coded: 'explanationText' },
  'smime:invite.failed[].error': { server: 'the Self-Service API’s words per recipient, framed as invite.failedOne' },
  'stores:list[].unavailableReason': { coded: 'unavailableText' },
  'settings:*.stores[]': data,
  'settings:*.locked{}': data,
  'scanner:report.locked.*': data,
  'scanner:report.targets[].settings.*': code,
  'scanner:*.trigger': code,
  'scanner:*.status': code,
  'scanner:*.storeType': code,
  'scanner:*.purposes[]': code,
  'scanner:*.error': { coded: 'errorText' },
  'scanner:*.scanned[].place.where': data,
  'scanner:*.scanned[].source': {
    english: 'the CLI’s words for where a scan looked; the window names place (kind + where) in the user’s language instead',
  },
  'scanner:scan-now.warnings[]': { english: 'remarks for the CLI and log; the window does not show them' },
  'scanner:scan-now.certificates[].outcome': code,
  'mfa:accounts[].accounts[].name': data,
  'doctor:run.checks[].id': code,
  'doctor:run.checks[].summary': { coded: 'summaryText' },
  'doctor:run.checks[].data{}': data,
  'flow:*.prompt.fields[].realm': { server: 'the Online CA’s realm name, inside the translated field label' },
  'flow:*.prompt.fields[].label': { server: 'the server’s own field label (password-prompt), shown as the label' },
  'flow:*.prompt.challenges[].name': { server: 'the server’s challenge question, shown as the question' },
  'flow:*.prompt.error': { coded: 'errorText' },
  // system-store's reason is a sentence with its twin; change-password's (same path in the union) a code.
  'flow:*.prompt.reason': { coded: 'reasonText' },
  'flow:progress.progress.step': code,
  'flow:*.progress.detail': { coded: 'detailText' },
  'flow:done.outcome.code': code,
  'flow:done.outcome.message': { coded: 'text' },
  'popup:*.data{} (unknown)': {
    elsewhere: 'a popup’s message comes coded as data.text (renewer.test.ts, ui-bridge.test.ts, PopupBanner.test.tsx)',
  },
};

type Found = { path: string; coded: boolean };

/** Every string (and coded text) reachable in a schema, with its path. */
function walk(schema: z.ZodType, path: string, out: Found[], seen = new Set<unknown>()): void {
  if (schema === CoreText) return void out.push({ path, coded: true });
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const inner = (s: unknown, p = path) => walk(s as z.ZodType, p, out, seen);
  switch (def.type) {
    case 'string':
      return void out.push({ path, coded: false });
    case 'object':
      return Object.entries(def.shape as Record<string, unknown>).forEach(([k, v]) => inner(v, `${path}.${k}`));
    case 'array':
      return inner(def.element, `${path}[]`);
    case 'record':
      return inner(def.valueType, `${path}{}`);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'catch':
    case 'readonly':
      return inner(def.innerType);
    case 'pipe':
      return inner(def.out);
    case 'union':
      return (def.options as unknown[]).forEach((o) => inner(o));
    case 'lazy':
      if (seen.has(schema)) return;
      seen.add(schema);
      return inner((def.getter as () => unknown)());
    case 'unknown':
    case 'any':
      return void out.push({ path: `${path} (unknown)`, coded: false });
  }
}

function contractTexts(): Found[] {
  const out: Found[] = [];
  for (const [channel, c] of Object.entries(requests)) walk(c.response as z.ZodType, channel, out);
  for (const [channel, e] of Object.entries(events)) walk(e as z.ZodType, channel, out);
  return out;
}

/** A table key matches a path with `*` for any run of characters (a channel, a field). */
const matches = (key: string, path: string) =>
  new RegExp(`^${key.replace(/[.[\]{}()+?^$|\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(path);

function kindOf(path: string): Kind | undefined {
  const exact = Object.keys(paths).filter((k) => matches(k, path));
  // The most specific key wins: fewest wildcards, then longest.
  exact.sort((a, b) => a.split('*').length - b.split('*').length || b.length - a.length);
  if (exact[0]) return paths[exact[0]];
  const field = /\.?([A-Za-z0-9]+)(?:\[\]|\{\})*$/.exec(path)?.[1];
  return field && dataNames.has(field) ? data : undefined;
}

describe('texts the core sends the window', () => {
  const found = contractTexts();

  it('finds the contract’s texts (the walk reaches nested, optional and union fields)', () => {
    const all = found.map((f) => f.path);
    expect(all).toContain('flow:done.outcome.message');
    expect(all).toContain('agent:state.policyWarnings[]');
    expect(found.find((f) => f.path === 'certs:list[].renewErrorText')?.coded).toBe(true);
  });

  it('every text field is data, a coded sentence, the server’s framed words, a code, or English with a reason', () => {
    const unnamed = found.filter((f) => !f.coded && !kindOf(f.path)).map((f) => f.path);
    expect(unnamed).toEqual([]);
  });

  it('every sentence said to be coded has its coded twin beside it', () => {
    const codedPaths = new Set(found.filter((f) => f.coded).map((f) => f.path));
    const missing = found.flatMap((f) => {
      const k = f.coded ? undefined : kindOf(f.path);
      if (!k || !('coded' in k)) return [];
      const twin = `${f.path.replace(/\.[^.]+$/, '')}.${k.coded}`;
      return codedPaths.has(twin) ? [] : [`${f.path} → ${twin}`];
    });
    expect(missing).toEqual([]);
  });

  it('no entry of the table names a field the contract no longer has', () => {
    const stale = Object.keys(paths).filter((k) => !found.some((f) => matches(k, f.path)));
    expect(stale).toEqual([]);
  });
});
