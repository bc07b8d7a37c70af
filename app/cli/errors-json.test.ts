import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, issueCertificate } from '../../test-support/crypto/test-pki';
import { makeRccdV2 } from '../../test-support/rccd/make-rccd';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { describeFileError } from '../system/file-errors';
import { commands } from './commands/index';
import { EXIT } from './exit-codes';

/**
 * Issue 18's error contract, over the commands: every error is one sentence beginning `keytalk-agent:` (no raw
 * ENOENT/EISDIR/ENOTDIR), errors about an unknown provider/service/store list the valid values, and with --json
 * the same failure is exactly one JSON object on stdout (status, code, exitCode, message) with nothing on stderr.
 */
let dir: string;
let home: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kt-errors-'));
  home = path.join(dir, 'home');
  const pki = await createTestPki('Errors');
  const ca = (cn: string) => issueCertificate(pki.primary, { cn, isCa: true, keyPem: pki.server.keyPem });
  const cas = { root: pki.root, primary: pki.primary, signing: await ca('Errors UCA'), server: await ca('Errors SCA') };
  const two = path.join(dir, 'two.rccd');
  writeFileSync(two, await makeRccdV2({ cas, providerName: 'Acme' }));
  const one = path.join(dir, 'one.rccd');
  writeFileSync(one, await makeRccdV2({ cas, providerName: 'Solo', services: [{ Name: 'ONLY', CertValidPercent: 10 }] }));
  for (const f of [two, one]) {
    const r = await runCliCaptured(['rccd', 'import', f, '--accept-unsigned'], { home });
    expect(r.code, r.stderr).toBe(EXIT.ok);
  }
  writeFileSync(path.join(dir, 'a-file'), 'not a folder');
  // A wrong file picked by a careless user: a disk image (sparse here), a FIFO that never ends.
  writeFileSync(path.join(dir, 'disk.img'), '');
  truncateSync(path.join(dir, 'disk.img'), 1536 * 1024 * 1024);
  execFileSync('mkfifo', [path.join(dir, 'a-fifo')]);
  mkdirSync(path.join(dir, 'a-folder'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS: Array<{ name: string; args: () => string[]; exit: number; says: RegExp }> = [
  {
    name: 'rccd import (missing file)',
    args: () => ['rccd', 'import', path.join(dir, 'missing.rccd')],
    exit: 2,
    says: /missing\.rccd: it does not exist; check the path/,
  },
  {
    name: 'rccd import (a folder)',
    args: () => ['rccd', 'import', path.join(dir, 'a-folder')],
    exit: 2,
    says: /a-folder: it is a folder, not a file/,
  },
  {
    name: 'rccd import (a 1.5 GiB disk image: refused before it is read)',
    args: () => ['rccd', 'import', path.join(dir, 'disk.img')],
    exit: 2,
    says: /disk\.img is 1610612736 bytes; an RCCD file is at most 16777216 bytes/,
  },
  {
    name: 'rccd import (a FIFO: refused, not waited on)',
    args: () => ['rccd', 'import', path.join(dir, 'a-fifo')],
    exit: 2,
    says: /a-fifo is not a file/,
  },
  {
    name: '--home is a file',
    args: () => ['status', '--home', path.join(dir, 'a-file')],
    exit: 2,
    says: /agent home .*a-file cannot be used.*--home DIR/,
  },
  {
    name: '--home below a file',
    args: () => ['certs', '--home', path.join(dir, 'a-file', 'sub')],
    exit: 2,
    says: /part of that path is a file, not a folder/,
  },
  {
    name: 'enroll unknown provider',
    args: () => ['enroll', '--provider', 'Nope'],
    exit: 2,
    says: /no provider named "Nope"; providers: Acme, Solo/,
  },
  {
    name: 'enroll unknown service',
    args: () => ['enroll', '--provider', 'Acme', '--service', 'X'],
    exit: 2,
    says: /its services: CUST_PASSWD_INTERNAL, CUST_PIN_PASSWD/,
  },
  {
    name: 'enroll without --service (2 services)',
    args: () => ['enroll', '--provider', 'Acme'],
    exit: 2,
    says: /has 2 services; choose one with --service NAME: CUST_PASSWD_INTERNAL/,
  },
  { name: 'enroll without --provider', args: () => ['enroll'], exit: 2, says: /needs --provider NAME; providers: Acme, Solo/ },
  {
    name: 'stores enable unknown',
    args: () => ['stores', 'enable', 'bogus'],
    exit: 2,
    says: /unknown store "bogus" on \w+; stores here: .*file/,
  },
  {
    name: 'certs --store not enabled',
    args: () => ['certs', '--store', 'bogus'],
    exit: 2,
    says: /store "bogus" is not enabled; enabled stores: file/,
  },
  { name: 'rccd remove unknown', args: () => ['rccd', 'remove', 'Nope'], exit: 2, says: /No provider named "Nope"/ },
  {
    name: 'daemon bad --log-level',
    args: () => ['daemon', '--log-level', 'loud'],
    exit: 2,
    says: /--log-level must be one of error, warn, info, debug/,
  },
  {
    name: 'doctor unknown provider',
    args: () => ['doctor', '--provider', 'Nope'],
    exit: 2,
    says: /unknown provider "Nope"; providers: /,
  },
  {
    name: 'daemon unknown action',
    args: () => ['daemon', 'start'],
    exit: 2,
    says: /unknown daemon action "start"; actions: install, uninstall, status/,
  },
  {
    name: 'smime unknown sub-command',
    args: () => ['smime', 'frobnicate'],
    exit: 2,
    says: /unknown smime sub-command "frobnicate"/,
  },
  { name: 'unknown option', args: () => ['certs', '--bogus'], exit: 2, says: /unknown option --bogus; known options: --store/ },
  {
    name: 'unknown command',
    args: () => ['frobnicate'],
    exit: 2,
    says: /unknown command "frobnicate"; commands: rccd, providers/,
  },
];

/**
 * One --json run of every registered command (the test checks the table covers them): successes and failures, the
 * list commands with the name their list has in the object. `daemon` itself streams log lines; `daemon status` is
 * its one-object form.
 */
const EVERY_COMMAND: Array<{ args: () => string[]; list?: string }> = [
  { args: () => ['rccd', 'list'], list: 'providers' },
  { args: () => ['rccd', 'import', path.join(dir, 'one.rccd'), '--accept-unsigned', '--force'] },
  { args: () => ['providers'], list: 'providers' },
  { args: () => ['onlineca', 'list'], list: 'providers' },
  { args: () => ['onlineca', 'add', 'Bad', 'not a url'] },
  { args: () => ['enroll', '--provider', 'Nope'] },
  { args: () => ['stores'], list: 'stores' },
  { args: () => ['stores', 'enable', 'file'] },
  { args: () => ['certs'], list: 'certificates' },
  { args: () => ['certs', '--expiring', '30'] },
  { args: () => ['messages'], list: 'messages' },
  { args: () => ['renew'], list: 'certificates' },
  { args: () => ['scan', 'report'] },
  { args: () => ['scan', 'settings'] },
  { args: () => ['smime', 'invite'] },
  { args: () => ['password', 'change', '--provider', 'Nope', '--service', 'S'] },
  { args: () => ['status'] },
  { args: () => ['hooks'], list: 'hooks' },
  { args: () => ['completion', 'bash'] },
  { args: () => ['daemon', 'status'] },
  { args: () => ['doctor', '--provider', 'Nope'] },
  { args: () => ['diagnostics', '--no-check', '--out', path.join(dir, 'bundle.zip')] },
  { args: () => ['version'] },
];

describe('errors and the --json contract (issue 18)', () => {
  for (const row of ROWS) {
    it(`${row.name} → exit ${row.exit}, one sentence; --json: one object, empty stderr`, async () => {
      const text = await runCliCaptured(row.args(), { home });
      expect(text.code).toBe(row.exit);
      expect(text.stderr).toMatch(/^keytalk-agent: /);
      expect(text.stderr).not.toMatch(/keytalk-agent: keytalk-agent/);
      expect(text.stderr.split('\n')[0]).toMatch(row.says);
      expect(text.stderr).not.toMatch(/\bE[A-Z]{3,}\b/);
      expect(text.stdout).toBe('');

      const json = await runCliCaptured([...row.args(), '--json'], { home });
      expect(json.code).toBe(row.exit);
      expect(json.stderr).toBe('');
      const doc = JSON.parse(json.stdout) as Record<string, unknown>;
      expect(doc).toMatchObject({ status: 'failed', code: 'bad-input', exitCode: row.exit });
      expect(doc.message).toMatch(row.says);
    });
  }

  it('every command with --json: stdout is one JSON object (never an array), stderr is empty', async () => {
    const seen = new Set<string>();
    for (const row of EVERY_COMMAND) {
      const args = row.args();
      const r = await runCliCaptured([...args, '--json'], { home });
      const label = args.join(' ');
      expect(r.stderr, label).toBe('');
      const doc = JSON.parse(r.stdout) as unknown;
      expect(typeof doc === 'object' && doc !== null && !Array.isArray(doc), `${label}: ${r.stdout.slice(0, 80)}`).toBe(true);
      // A list is under its own name, with the warnings beside it (always present, so scripts need no existence check).
      if (row.list) expect(doc, label).toMatchObject({ [row.list]: expect.any(Array), warnings: expect.any(Array) });
      if (r.code !== 0) expect(doc, label).toMatchObject({ exitCode: r.code });
      // Warnings are sentences without the text form's prefixes, each once (rccd import's unsigned warning).
      const warnings = (doc as { warnings?: string[] }).warnings ?? [];
      expect(new Set(warnings).size, label).toBe(warnings.length);
      for (const w of warnings) expect(w, label).not.toMatch(/^(warning|keytalk-agent): /);
      seen.add(args[0]!);
    }
    expect([...seen].sort()).toEqual(commands.map((c) => c.name).sort());
  });

  it("a list's warnings stay in its object: a damaged provider.json is named under warnings", async () => {
    const broken = path.join(dir, 'broken-home');
    mkdirSync(path.join(broken, 'providers', 'Bad'), { recursive: true });
    writeFileSync(path.join(broken, 'providers', 'Bad', 'provider.json'), '{ not json');
    const r = await runCliCaptured(['providers', '--json'], { home: broken });
    expect(r.code).toBe(EXIT.ok);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      providers: [],
      warnings: [expect.stringMatching(/^provider\.json was found damaged .*re-import the provider's RCCD file/)],
    });
  });

  it('permission errors name the file and the fix (root cannot provoke them, so the errno is built)', () => {
    const err = Object.assign(new Error("EACCES: permission denied, open '/srv/x.rccd'"), {
      code: 'EACCES',
      syscall: 'open',
      path: '/srv/x.rccd',
    });
    expect(describeFileError(err)).toBe(
      'cannot open /srv/x.rccd: permission denied; run as the user who owns it, or fix its owner or mode (chown, chmod)',
    );
  });
});
