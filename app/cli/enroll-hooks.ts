import type { ParsedArgs } from './args';
import type { CliContext } from './command';
import { updateHooks, type HookRun } from '../hooks/hooks-file';
import { runCertificateHook, runHookCommand } from '../hooks/run-hook';
import { DEFAULT_HOOK_TIMEOUT_SECONDS } from '../hooks/hooks-file';

/**
 * `enroll --pre-hook CMD`: run before the enrollment, with the provider and service in the environment (there is
 * no certificate yet). A failure is reported and the enrollment goes on: the hook prepares, it does not decide.
 */
export async function preHook(
  ctx: CliContext,
  command: string,
  target: { provider: string; service: string },
  timeoutSeconds: number | undefined,
): Promise<void> {
  const r = await runHookCommand(
    command,
    { KEYTALK_PROVIDER: target.provider, KEYTALK_SERVICE: target.service },
    timeoutSeconds ?? DEFAULT_HOOK_TIMEOUT_SECONDS,
  );
  if (r.exitCode !== 0 || r.timedOut)
    ctx.stderr.write(
      `warning: the pre-hook ${r.timedOut ? 'was killed after its timeout' : `failed with exit status ${r.exitCode ?? r.signal}`}; enrolling anyway\n`,
    );
}

/**
 * `enroll --post-hook CMD`: remember the hook for the new certificate (it follows the certificate to each renewed
 * successor) and run it now, as after every renewal. Its result is reported, never a reason to fail the enrollment.
 */
export async function postHook(
  ctx: CliContext,
  outcome: { sha256Fingerprint: string; provider: string; service: string },
  o: ParsedArgs['options'],
  timeoutSeconds: number | undefined,
): Promise<HookRun | undefined> {
  if (!o['post-hook'] && !o['pre-hook']) return undefined;
  const cert = { sha256: outcome.sha256Fingerprint.toUpperCase(), provider: outcome.provider, service: outcome.service };
  await updateHooks(ctx.home, (all) => [
    ...all.filter((h) => h.sha256 !== cert.sha256),
    {
      ...cert,
      ...(o['post-hook'] ? { postHook: o['post-hook'] as string } : {}),
      ...(o['pre-hook'] ? { preHook: o['pre-hook'] as string } : {}),
      ...(timeoutSeconds ? { timeoutSeconds } : {}),
    },
  ]);
  return runCertificateHook(ctx.home, cert, 'post', 'enrollment');
}
