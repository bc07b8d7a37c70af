import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { EXIT, exitCodeFor } from '../exit-codes';
import { scriptedFrontEnd, ttyFrontEnd, type CliInputs } from '../front-ends';
import { stdinLines } from '../line-source';
import { cliEngine } from '../services';

/**
 * `password change`: the voluntary change RCDP 2.6.7 allows "when password-validity gives a hint that the password
 * is about to expire" (status warns N days ahead). On a terminal it prompts without echo; for scripts the current
 * and the new password come as two lines on stdin (--stdin) or in KEYTALK_PASSWORD / KEYTALK_NEW_PASSWORD —
 * never as flags, which other users of the machine can read in the process list.
 */
export const passwordCommand: CliCommand = {
  name: 'password',
  summary: "change your password on a provider's KeyTalk server (before it expires)",
  usage: ['password change --provider P --service S [--user U] [--stdin]'],
  options: {
    provider: { value: true, valueName: 'NAME', description: 'provider (see `keytalk-agent providers`)' },
    service: { value: true, valueName: 'NAME', description: 'service whose sign-in password to change' },
    user: { value: true, valueName: 'ID', description: 'user name (else KEYTALK_USER, else the remembered one)' },
    stdin: { value: false, description: 'read the current password, then the new one, as two lines of stdin' },
  },
  async run(ctx, args) {
    const o = args.options;
    const [sub, extra] = args.positionals;
    if (sub !== 'change' || extra !== undefined) throw new UsageError('usage: password change --provider P --service S');
    const provider = o.provider as string | undefined;
    const service = o.service as string | undefined;
    if (!provider || !service) throw new UsageError('password change needs --provider NAME and --service NAME');
    const lines = stdinLines(ctx.stdin);
    const inputs: CliInputs = {
      user: (o.user as string | undefined) ?? ctx.env.KEYTALK_USER,
      password: ctx.env.KEYTALK_PASSWORD,
      newPassword: ctx.env.KEYTALK_NEW_PASSWORD,
    };
    if (o.stdin) {
      if (ctx.stdin.isTTY) throw new UsageError('--stdin needs the passwords piped in (stdin is a terminal)');
      inputs.password = (await lines.next())?.replace(/\r$/, '');
      inputs.newPassword = (await lines.next())?.replace(/\r$/, '');
      if (!inputs.password || !inputs.newPassword)
        throw new UsageError('--stdin needs two lines: the current password, then the new one');
    }
    const frontEnd =
      ctx.interactive && !o.stdin
        ? ttyFrontEnd(inputs, ctx.stdin, ctx.stderr as never, ctx.json)
        : scriptedFrontEnd(inputs, lines, ctx.stderr, ctx.json);
    const { runPasswordChange } = await import('../../engine/password-change');
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    let outcome;
    try {
      const credentials = {
        ...(inputs.user ? { USERID: inputs.user } : {}),
        ...(inputs.password ? { PASSWD: inputs.password } : {}),
      };
      outcome = await runPasswordChange({ provider, service, credentials }, frontEnd, cliEngine(ctx), abort.signal);
    } finally {
      process.off('SIGINT', onSigint);
      lines.close();
      (frontEnd as { close?: () => void }).close?.();
    }
    if (ctx.json) ctx.emitJson(outcome);
    if (outcome.status === 'password-changed') {
      ctx.say(`password changed for ${outcome.userId ?? 'you'} on ${provider}/${service}; sign in with the new one from now on`);
      return EXIT.ok;
    }
    if (outcome.status !== 'failed') return EXIT.internal;
    if (!ctx.json) ctx.stderr.write(`keytalk-agent: password change failed (${outcome.code}): ${outcome.message}\n`);
    return exitCodeFor(outcome.code);
  },
};
