import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { currentPolicy, forgetPolicy, linuxPolicyDir, type LoadedPolicy } from './load-policy';

/**
 * Notices a changed policy while the agent runs, so an administrator's change (a new policy.json pushed by Ansible,
 * a GPO refresh, a new configuration profile, an RCCD dropped into rccd/) applies without a restart.
 *
 * Two triggers, one check: fs.watch on the policy folder, its policy.d/ and rccd/ (Linux, and any
 * KEYTALK_AGENT_POLICY_DIR), debounced because editors and config tools write a file in several steps; and a
 * periodic re-read on every OS — the only trigger for the Windows registry and macOS managed preferences (no file
 * to watch), and the fallback where fs.watch misses events (network file systems, a folder created later).
 * A check re-reads every source and calls `onChange` only when the policy or the rccd/ folder really changed.
 */
export interface PolicyWatchOptions {
  onChange: (loaded: LoadedPolicy) => void | Promise<void>;
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  /** Quiet time after the last file event before the policy is re-read. */
  debounceMs?: number;
  /** Periodic re-read, in case no event came (and the only trigger on Windows/macOS). */
  pollMs?: number;
  onError?: (err: Error) => void;
}

export interface PolicyWatch {
  /** Re-read now; true when the policy changed (and onChange ran). Checks never overlap. */
  check(): Promise<boolean>;
  stop(): void;
}

export async function watchPolicy(o: PolicyWatchOptions): Promise<PolicyWatch> {
  const env = o.env ?? process.env;
  const platform = o.platform ?? process.platform;
  let last = await fingerprint(await currentPolicy(env));
  let chain: Promise<boolean> = Promise.resolve(false);
  let stopped = false;

  const check = (): Promise<boolean> => {
    chain = chain.then(async () => {
      if (stopped) return false;
      forgetPolicy();
      const loaded = await currentPolicy(env);
      const now = await fingerprint(loaded);
      if (now === last) return false;
      last = now;
      await o.onChange(loaded);
      return true;
    });
    // A failed check (an onChange that threw) is reported; the next event or period tries again.
    chain = chain.catch((err: unknown) => (o.onError?.(err as Error), false));
    return chain;
  };

  let timer: NodeJS.Timeout | undefined;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void check(), o.debounceMs ?? 1_000);
    timer.unref?.();
  };
  const watchers: FSWatcher[] = [];
  const dir = env.KEYTALK_AGENT_POLICY_DIR || (platform === 'linux' ? linuxPolicyDir : undefined);
  if (dir) {
    for (const d of [dir, path.join(dir, 'policy.d'), path.join(dir, 'rccd')]) {
      try {
        const w = watch(d, { persistent: false }, soon);
        w.on('error', () => w.close()); // the folder went away: the periodic re-read still covers it
        watchers.push(w);
      } catch {
        // Absent folder: the periodic re-read notices when it appears.
      }
    }
  }
  const poll = setInterval(() => void check(), o.pollMs ?? 5 * 60_000);
  poll.unref?.();

  return {
    check,
    stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(poll);
      for (const w of watchers) w.close();
    },
  };
}

/**
 * What a change is: the merged policy, its warnings, and the rccd/ folder's files (name, size, mtime) — a replaced
 * RCCD with a newer ContentVersion must be imported even though no policy key changed.
 */
export async function fingerprint(loaded: LoadedPolicy): Promise<string> {
  let rccd: string[] = [];
  try {
    const names = (await readdir(loaded.rccdDir)).sort();
    rccd = await Promise.all(
      names.map(async (n) => {
        const s = await stat(path.join(loaded.rccdDir, n)).catch(() => undefined);
        return `${n}:${s?.size}:${s?.mtimeMs}`;
      }),
    );
  } catch {
    // No rccd/ folder.
  }
  return createHash('sha256')
    .update(JSON.stringify([loaded.policy, loaded.warnings, rccd]))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The agent core's and the daemon's watch: on a change, log it, import the provisioned providers again (new ones,
 * newer ContentVersions) and let the caller re-apply the rest (`then`: the scheduler re-syncs for the renewal floor,
 * the UI gets a new state). Locks and stores need nothing more: every settings read goes through the policy.
 */
export async function watchAndReapply(
  home: string,
  log: {
    info(event: string, fields?: Record<string, unknown>): void;
    warn(event: string, fields?: Record<string, unknown>): void;
  },
  then: () => Promise<void> | void,
  timing: Pick<PolicyWatchOptions, 'debounceMs' | 'pollMs'> & { rccdCheckMs?: number } = {},
): Promise<PolicyWatch> {
  const reapply = async () => {
    await (await import('./provisioned')).provisionAtStart(home, log);
    await then();
  };
  const watch = await watchPolicy({
    ...timing,
    onChange: async (loaded) => {
      log.info('policy-changed', { sources: loaded.sources, keys: Object.keys(loaded.policy) });
      await reapply();
    },
    onError: (err) => log.warn('policy-watch', { message: err.message }),
  });
  // Providers fetched with rccd?uid change on the server, not in the policy: each is fetched again when its own
  // persisted, spread due time comes (rccd-refresh.ts); this only looks whether one is due (a small file read).
  const refresh = setInterval(
    () => {
      void currentPolicy()
        .then(async (l) => {
          const remote = (l.policy.providers ?? []).filter((p) => typeof p !== 'string');
          if (remote.length && (await (await import('./rccd-refresh')).anyRefreshDue(home, remote))) await reapply();
        })
        .catch((err: Error) => log.warn('provisioned-rccd', { message: err.message }));
    },
    timing.rccdCheckMs ?? 5 * 60_000,
  );
  refresh.unref?.();
  return {
    check: watch.check,
    stop() {
      clearInterval(refresh);
      watch.stop();
    },
  };
}
