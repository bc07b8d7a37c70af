/**
 * One tpm2-tools (or `openssl -provider tpm2`) call through the injected CommandRunner, shared by key generation
 * (tpm-keys.ts) and attestation (tpm-attest.ts) so both reach the same TPM (TCTI from the environment) and fail with
 * the same kind of error: the tool's last line of output, never a bare exit code.
 */
import type { CommandRunner, CommandSpec } from '../system/command-runner';

export class TpmError extends Error {}

export async function tpmTool(
  runner: CommandRunner,
  env: Record<string, string>,
  command: string,
  args: string[],
  cwd?: string,
): Promise<string> {
  const spec: CommandSpec = { command, args, env, timeoutMs: 60_000, ...(cwd ? { cwd } : {}) };
  const r = await runner.run(spec).catch((e: Error) => {
    throw new TpmError(`${e.message} (install tpm2-tools and tpm2-openssl)`);
  });
  if (r.code !== 0) throw new TpmError(`${command} failed: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? ''}`);
  return r.stdout;
}

/** Transient objects are flushed after each step: without a resource manager (swtpm) they would fill the TPM. */
export function flushTransient(runner: CommandRunner, env: Record<string, string>): Promise<unknown> {
  return tpmTool(runner, env, 'tpm2_flushcontext', ['-t']).catch(() => undefined);
}
