import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { EXIT, exitCodeFor } from '../exit-codes';
import { scriptedFrontEnd, ttyFrontEnd, type CliInputs } from '../front-ends';
import { stdinLines } from '../line-source';
import { describeWritten, extrasReceived, fingerprints, whereWritten } from '../enroll-report';
import { enrollTarget } from '../enroll-target';
import { postHook, preHook } from '../enroll-hooks';
import { hookTimeout } from './hooks';
import { describeHookRun } from '../../hooks/run-hook';
import { cliEngine } from '../services';
import { checkStoreIds, storesByIds } from '../store-choice';
import { runEnrollment, type EnrollRequest } from '../../engine/enroll';
import type { AgentScope } from '../../config/scope';

const FORMATS = ['P12', 'PEM', 'P12v2'] as const;

/**
 * Enter the new certificate in the persisted schedule now, so `status` (and the tray, on its next read) shows its
 * renewal time and reason at once. Never fails the enrollment: a daemon's or the tray's next sync adds it anyway.
 */
async function registerWithSchedule(home: string, version: string, userHome: string, scope: AgentScope): Promise<void> {
  const { homeLayout } = await import('../../config/home');
  const { createLogger, fileSink } = await import('../../log/logger');
  const { settingsLogLevel } = await import('../../log/settings-level');
  const log = createLogger(fileSink(homeLayout(home).logs, 'cli.log'), settingsLogLevel(home), { component: 'enroll' });
  try {
    const { AgentScheduler } = await import('../../scheduler/agent-scheduler');
    const { daemonEngine, daemonNotifier } = await import('../../scheduler/daemon');
    const agent = new AgentScheduler({
      home,
      engine: daemonEngine(home, log, version, userHome, scope),
      notifier: daemonNotifier(log),
      log,
    });
    await agent.register();
  } catch (err) {
    log.warn('could not add the certificate to the schedule yet', { error: (err as Error).message });
  }
}

function parseChallengeResponses(text: string | undefined): Record<string, string>[] | undefined {
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    const asRecord = (x: unknown): Record<string, string> => {
      if (typeof x === 'string') return { '': x };
      if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, val]) => [k, String(val)]));
      throw new Error('not an object');
    };
    return Array.isArray(v) ? v.map(asRecord) : [asRecord(v)];
  } catch {
    return [{ '': text }];
  }
}

export const enrollCommand: CliCommand = {
  name: 'enroll',
  summary: 'enroll a certificate from a provider service (prompts on a terminal; flags/stdin/env otherwise)',
  usage: ['enroll --provider P [--service S] [--user U] [--password-stdin] [--format P12|PEM|P12v2] [--csr] [--store ID]'],
  options: {
    provider: { value: true, valueName: 'NAME', description: 'provider (see `keytalk-agent providers`)' },
    service: { value: true, valueName: 'NAME', description: 'service (template) of the provider (not needed when it has one)' },
    user: { value: true, valueName: 'ID', description: 'user name (else KEYTALK_USER)' },
    'password-stdin': { value: false, description: 'read the password from the first line of stdin (else KEYTALK_PASSWORD)' },
    format: { value: true, valueName: 'FMT', description: 'P12, PEM or P12v2 (default P12v2; older servers get P12)' },
    csr: { value: false, description: 'generate the key here and send a CSR (the key never leaves this machine)' },
    store: {
      value: true,
      multiple: true,
      valueName: 'ID',
      description: 'store to write to (repeatable; default: the configured stores)',
    },
    'out-of-band': { value: false, description: 'download the certificate through the out-of-band URL' },
    'approver-email': {
      value: true,
      valueName: 'EMAIL',
      description: 'approver for certificates that need one (else KEYTALK_APPROVER_EMAIL)',
    },
    'common-name': { value: true, valueName: 'CN', description: 'requested common name (where the service allows it)' },
    'given-name': { value: true, valueName: 'NAME', description: 'given name (with --surname; RCDP ≥ 2.8.2)' },
    surname: { value: true, valueName: 'NAME', description: 'surname (with --given-name)' },
    'san-domain': { value: true, multiple: true, valueName: 'DNS', description: 'extra SAN domain (repeatable; RCDP ≥ 2.8.3)' },
    'post-hook': {
      value: true,
      valueName: 'CMD',
      description: 'shell command run now and after each renewal of this certificate (e.g. reload nginx)',
    },
    'pre-hook': { value: true, valueName: 'CMD', description: 'shell command run before this enrollment' },
    'hook-timeout': { value: true, valueName: 'SECONDS', description: 'kill a hook after this long (default 60)' },
  },
  async run(ctx, args) {
    const o = args.options;
    if (args.positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    const engine = cliEngine(ctx);
    const { provider, service } = await enrollTarget(
      engine.providerRegistry,
      o.provider as string | undefined,
      o.service as string | undefined,
    );
    const format = o.format as string | undefined;
    if (format !== undefined && !FORMATS.includes(format as never))
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not ${format}`);
    const givenName = o['given-name'] as string | undefined;
    const surname = o.surname as string | undefined;
    if (!!givenName !== !!surname) throw new UsageError('--given-name and --surname go together');
    if (o.store) await checkStoreIds(o.store as string[]);
    const hookTimeoutSeconds = hookTimeout(o['hook-timeout']);

    const lines = stdinLines(ctx.stdin);
    const env = ctx.env;
    let password = env.KEYTALK_PASSWORD;
    if (o['password-stdin']) {
      if (ctx.stdin.isTTY) throw new UsageError('--password-stdin needs the password piped in (stdin is a terminal)');
      password = (await lines.next())?.replace(/\r$/, '');
      if (!password) throw new UsageError('--password-stdin given but stdin is empty');
    }
    const inputs: CliInputs = {
      user: (o.user as string | undefined) ?? env.KEYTALK_USER,
      password,
      pin: env.KEYTALK_PIN,
      otp: env.KEYTALK_OTP,
      newPassword: env.KEYTALK_NEW_PASSWORD,
      approverEmail: (o['approver-email'] as string | undefined) ?? env.KEYTALK_APPROVER_EMAIL,
      challengeResponses: parseChallengeResponses(env.KEYTALK_CHALLENGE_RESPONSES),
      commonName: o['common-name'] as string | undefined,
      givenName,
      surname,
      sanDomains: o['san-domain'] as string[] | undefined,
    };
    const frontEnd = ctx.interactive
      ? ttyFrontEnd(inputs, ctx.stdin, ctx.stderr as never, ctx.json)
      : scriptedFrontEnd(inputs, lines, ctx.stderr, ctx.json);
    const hasCertOptions = inputs.commonName || givenName || inputs.sanDomains?.length;
    const request: EnrollRequest = {
      provider,
      service,
      format: format as EnrollRequest['format'],
      csr: o.csr === true ? true : undefined,
      outOfBand: o['out-of-band'] === true,
      credentials: {
        ...(inputs.user ? { USERID: inputs.user } : {}),
        ...(inputs.password ? { PASSWD: inputs.password } : {}),
        ...(inputs.pin ? { PIN: inputs.pin } : {}),
        ...(inputs.otp ? { OTP: inputs.otp } : {}),
      },
      certOptions: hasCertOptions
        ? { commonName: inputs.commonName, givenName, surname, sanDomains: inputs.sanDomains }
        : undefined,
      storeIds: o.store as string[] | undefined,
    };
    const chosen = o.store as string[] | undefined;
    // --store ID: any store of this platform, enabled or not (an explicit flag is the user's choice).
    if (chosen?.length) engine.stores = () => storesByIds(ctx, chosen, engine.secretStore);
    // The store that receives the extras (historical and shared-mailbox certificates) is the first: what it held
    // before tells what the enrollment added.
    const stores = await Promise.resolve(engine.stores()).catch(() => []);
    const before = await fingerprints(stores[0]);
    if (o['pre-hook']) await preHook(ctx, o['pre-hook'] as string, { provider, service }, hookTimeoutSeconds);
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    let outcome;
    try {
      outcome = await runEnrollment(request, frontEnd, engine, abort.signal);
    } finally {
      process.off('SIGINT', onSigint);
      lines.close();
      (frontEnd as { close?: () => void }).close?.();
    }
    if (outcome.status === 'issued') {
      const written = await whereWritten(stores, outcome.stores, outcome.sha256Fingerprint);
      const extras = await extrasReceived(stores[0], before, outcome.sha256Fingerprint);
      const hook = await postHook(ctx, outcome, o, hookTimeoutSeconds);
      if (ctx.json) ctx.emitJson({ ...outcome, written, extras, ...(hook ? { hook } : {}) });
      await registerWithSchedule(ctx.home, ctx.version, ctx.userHome, ctx.scope);
      ctx.say(
        [
          `issued ${outcome.subject}`,
          `  serial      ${outcome.serialNumber}`,
          `  valid       ${outcome.notBefore} – ${outcome.notAfter}`,
          `  sha-256     ${outcome.sha256Fingerprint}`,
          'written to:',
          ...written.map((w) => `  ${describeWritten(w).replace(/\n/g, '\n  ')}`),
          ...(extras.length ? [`also received ${extras.length} more certificate(s):`] : []),
          ...extras.map(
            (e) =>
              `  ${e.kind === 'shared-mailbox' ? `shared mailbox ${e.sharedMailbox}` : e.kind}: ${e.subject} (until ${e.notAfter})`,
          ),
          ...(hook ? [`hook        ${describeHookRun(hook)}${hook.output.trim() ? `: ${hook.output.trim()}` : ''}`] : []),
          ...(outcome.notice ? [`note: ${outcome.notice.message}`] : []),
          'renewal: keytalk-agent status shows when; keytalk-agent daemon (or the tray app) renews it',
        ].join('\n'),
      );
      return EXIT.ok;
    }
    if (ctx.json) ctx.emitJson(outcome);
    if (outcome.status === 'pending-approval') {
      ctx.say(
        `the certificate for ${provider}/${service} waits for approval${outcome.approvalOngoing ? ' (already requested earlier)' : ''}; the agent polls again later, or run enroll again`,
      );
      return EXIT.pending;
    }
    if (!ctx.json) ctx.stderr.write(`keytalk-agent: enrollment failed (${outcome.code}): ${outcome.message}\n`);
    return exitCodeFor(outcome.code);
  },
};
