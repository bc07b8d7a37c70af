import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { homeLayout } from '../config/home';
import type { Logger } from '../log/logger';
import { trackHook } from './pending';
import { DEFAULT_HOOK_TIMEOUT_SECONDS, hookFor, readHooks, updateHooks, type CertificateHook, type HookRun } from './hooks-file';

/** What a hook is told about the certificate: where its files are and what it is. */
export interface HookCertificate {
  sha256: string;
  provider: string;
  service: string;
}

const OUTPUT_KEPT = 4096;

/**
 * The environment a hook runs with: the new certificate's files in the file store (only those that exist: a TPM
 * key has no key file, a store without the file store has none) and its identity — the same names for every
 * trigger, so one nginx reload script serves enrollment and renewal alike.
 */
export function hookEnvironment(home: string, c: HookCertificate): Record<string, string> {
  const dir = path.join(homeLayout(home).certs, c.sha256.toUpperCase());
  const env: Record<string, string> = {
    KEYTALK_SHA256: c.sha256.toUpperCase(),
    KEYTALK_SERVICE: c.service,
    KEYTALK_PROVIDER: c.provider,
  };
  const files: Array<[string, string]> = [
    ['KEYTALK_CERT_FILE', 'cert.pem'],
    ['KEYTALK_KEY_FILE', 'key.pem'],
    ['KEYTALK_CHAIN_FILE', 'chain.pem'],
    ['KEYTALK_P12_FILE', 'certificate.p12'],
  ];
  for (const [name, file] of files) if (existsSync(path.join(dir, file))) env[name] = path.join(dir, file);
  return env;
}

/**
 * Run one hook command through the shell, with a deadline: on timeout the whole process group is killed (a
 * reload script's children too), so a hanging hook can never hold up renewals. Never throws: the result is data.
 */
export function runHookCommand(
  command: string,
  env: Record<string, string>,
  timeoutSeconds: number,
): Promise<Omit<HookRun, 'at' | 'phase' | 'trigger'>> {
  const started = Date.now();
  const win = process.platform === 'win32';
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    const child = spawn(win ? 'cmd.exe' : '/bin/sh', win ? ['/d', '/s', '/c', command] : ['-c', command], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so the timeout kills what it started as well.
      detached: !win,
    });
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-OUTPUT_KEPT));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (win) child.kill('SIGKILL');
        else process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutSeconds * 1000);
    const done = (exitCode: number | null, signal: string | null) => {
      clearTimeout(timer);
      resolve({ exitCode, ...(signal ? { signal } : {}), timedOut, durationMs: Date.now() - started, output });
    };
    child.once('error', (err) => ((output += String(err.message)), done(127, null)));
    child.once('close', (code, signal) => done(code, signal));
  });
}

/**
 * Run a certificate's pre- or post-hook, if it has one, and record the result in hooks.json. A renewal first
 * moves the hook from the certificate it replaced to the new one. The result is logged (the command's output
 * included) and returned; a failing hook never undoes anything: the certificate is already in place.
 */
export function runCertificateHook(
  home: string,
  cert: HookCertificate,
  phase: 'pre' | 'post',
  trigger: 'enrollment' | 'renewal',
  opts: { log?: Logger; replaces?: string } = {},
): Promise<HookRun | undefined> {
  const work = (async () => {
    if (opts.replaces) {
      // The hook follows the certificate to its successor.
      await updateHooks(home, (all) =>
        all.map((h) =>
          h.sha256.toUpperCase() === opts.replaces!.toUpperCase() ? { ...h, sha256: cert.sha256.toUpperCase() } : h,
        ),
      );
    }
    const hook: CertificateHook | undefined = hookFor(await readHooks(home), cert.sha256);
    const command = phase === 'post' ? hook?.postHook : hook?.preHook;
    if (!hook || !command) return undefined;
    const result = await runHookCommand(
      command,
      hookEnvironment(home, cert),
      hook.timeoutSeconds ?? DEFAULT_HOOK_TIMEOUT_SECONDS,
    );
    const run: HookRun = { at: new Date().toISOString(), phase, trigger, ...result };
    const ok = run.exitCode === 0 && !run.timedOut;
    await updateHooks(home, (all) =>
      all.map((h) =>
        h.sha256.toUpperCase() === cert.sha256.toUpperCase()
          ? { ...h, last: run, ...(phase === 'post' ? { failures: ok ? 0 : (h.failures ?? 0) + 1 } : {}) }
          : h,
      ),
    );
    const fields = {
      sha256: cert.sha256,
      service: cert.service,
      phase,
      trigger,
      exitCode: run.exitCode,
      timedOut: run.timedOut,
      output: run.output,
    };
    if (ok) opts.log?.info('hook-ran', fields);
    else opts.log?.error('hook-failed', { ...fields, message: describeHookRun(run) });
    return run;
  })();
  return trackHook(work);
}

export function describeHookRun(r: HookRun): string {
  const how = r.timedOut
    ? `killed after its timeout (${Math.round(r.durationMs / 1000)} s)`
    : r.exitCode === 0
      ? 'succeeded'
      : `failed with exit status ${r.exitCode ?? r.signal ?? '?'}`;
  return `${r.phase}-hook after ${r.trigger} ${how} at ${r.at}`;
}
