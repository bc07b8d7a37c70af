import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { hookTarget } from '../hook-target';
import { table } from '../output';
import { DEFAULT_HOOK_TIMEOUT_SECONDS, readHooks, updateHooks } from '../../hooks/hooks-file';
import { describeHookRun } from '../../hooks/run-hook';

/** Checked here and by `enroll`: a timeout is whole seconds, at least one. */
export function hookTimeout(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 86_400)
    throw new UsageError(`--hook-timeout must be whole seconds from 1 to 86400, not ${JSON.stringify(value)}`);
  return n;
}

/**
 * `keytalk-agent hooks`: the commands run after (and before) a certificate's renewal or enrollment, as
 * certmonger's -C/-B and `step ca renew --exec`: list them with their last result, set or clear one.
 */
export const hooksCommand: CliCommand = {
  name: 'hooks',
  summary: 'commands run after (or before) a certificate is renewed, e.g. to reload nginx; list, set or clear them',
  usage: [
    'hooks',
    'hooks set SHA256|--service S [--post-hook CMD] [--pre-hook CMD] [--hook-timeout SECONDS]',
    'hooks clear SHA256|--service S',
  ],
  options: {
    service: { value: true, valueName: 'S', description: "the service's newest certificate instead of a SHA-256" },
    'post-hook': { value: true, valueName: 'CMD', description: 'shell command run after each successful renewal' },
    'pre-hook': { value: true, valueName: 'CMD', description: 'shell command run before enrollment with `enroll`' },
    'hook-timeout': {
      value: true,
      valueName: 'SECONDS',
      description: `kill the hook after this long (default ${DEFAULT_HOOK_TIMEOUT_SECONDS})`,
    },
  },
  async run(ctx, args) {
    const [sub, sha, extra] = args.positionals;
    const o = args.options;
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
    if (sub === 'set' || sub === 'clear') {
      const target = await hookTarget(ctx.home, sha, o.service as string | undefined);
      const timeoutSeconds = hookTimeout(o['hook-timeout']);
      if (sub === 'set' && !o['post-hook'] && !o['pre-hook'])
        throw new UsageError('hooks set needs --post-hook CMD and/or --pre-hook CMD');
      const next = await updateHooks(ctx.home, (all) => {
        const others = all.filter((h) => h.sha256 !== target.sha256);
        if (sub === 'clear') return others;
        const old = all.find((h) => h.sha256 === target.sha256);
        return [
          ...others,
          {
            ...target,
            ...old,
            ...(o['post-hook'] ? { postHook: o['post-hook'] as string } : {}),
            ...(o['pre-hook'] ? { preHook: o['pre-hook'] as string } : {}),
            ...(timeoutSeconds ? { timeoutSeconds } : {}),
          },
        ];
      });
      const hook = next.find((h) => h.sha256 === target.sha256);
      if (ctx.json) ctx.emitJson({ status: 'ok', ...(hook ? { hook } : { cleared: target.sha256 }) });
      else
        ctx.say(
          hook
            ? `hooks set for ${target.service} ${target.sha256.slice(0, 16)}…`
            : `hooks cleared for ${target.sha256.slice(0, 16)}…`,
        );
      return EXIT.ok;
    }
    if (sub !== undefined)
      throw new UsageError(`unknown hooks sub-command ${JSON.stringify(sub)}; use: hooks, hooks set, hooks clear`);
    const hooks = await readHooks(ctx.home);
    if (ctx.json) ctx.emitList('hooks', hooks);
    else if (!hooks.length) ctx.say('no hooks; set one with keytalk-agent hooks set --service S --post-hook CMD');
    else
      ctx.say(
        table(
          hooks.map((h) => [
            `${h.provider}/${h.service}`,
            h.sha256.slice(0, 16),
            [h.preHook && `pre: ${h.preHook}`, h.postHook && `post: ${h.postHook}`].filter(Boolean).join('; '),
            h.last ? describeHookRun(h.last) : 'not run yet',
          ]),
          ['FROM', 'SHA-256', 'COMMANDS', 'LAST RUN'],
        ),
      );
    return EXIT.ok;
  },
};
