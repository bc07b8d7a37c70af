import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { table } from '../output';
import { passwordChecks } from '../../engine/password-checks';
import { describePasswordExpiry, PASSWORD_WARN_DAYS, passwordExpiries } from '../../engine/password-expiry';
import { readSettings } from '../../agent/settings';
import { enrollments } from '../../engine/state';
import { currentPolicy } from '../../policy/load-policy';
import { readProvisioningWarnings } from '../../policy/provisioning-warnings';
import { readStatus } from '../../scheduler/daemon';
import { readHooks } from '../../hooks/hooks-file';
import { writeFileAtomic } from '../../system/atomic-write';
import { prometheusText } from '../prometheus';
import path from 'node:path';
import { describeHookRun } from '../../hooks/run-hook';

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'when each certificate will be renewed and why, last keep-alive, unread messages (from the saved schedule)',
  usage: ['status [--json] [--prometheus FILE]'],
  options: {
    prometheus: {
      value: true,
      valueName: 'FILE',
      description: 'also write the metrics in node_exporter textfile format to FILE (atomically)',
    },
  },
  async run(ctx, args) {
    // The newest word on each password (enrollments, sign-ins, changes), warned within the user's window. Read
    // before the status, whose list of repaired files then includes a settings.json this very read moved aside.
    const warnDays = (await readSettings(ctx.home)).passwordWarnDays ?? PASSWORD_WARN_DAYS;
    const s = await readStatus(ctx.home);
    const checks = await passwordChecks.list(ctx.home);
    const passwords = passwordExpiries(await enrollments.list(ctx.home), new Date(), warnDays, checks);
    const policy = await currentPolicy();
    // Problems of the last provisioning run (an rccd?uid refresh, an RCCD that would not import), from whichever
    // process ran it: reported with the policy's own problems.
    // In machine scope also the policy's store ids the system daemon ignores (app/policy/machine-stores.ts).
    const policyWarnings = [
      ...policy.warnings,
      ...(ctx.scope === 'machine' ? await (await import('../../policy/machine-stores')).machineStoreWarnings() : []),
      ...(await readProvisioningWarnings(ctx.home)),
    ];
    const hooks = await readHooks(ctx.home);
    const prom = args.options.prometheus as string | undefined;
    // Temp file + rename: the textfile collector never reads half a file.
    if (prom) await writeFileAtomic(path.resolve(prom), prometheusText(s, hooks), { mode: 0o644 });
    if (ctx.json) {
      ctx.emitJson({
        ...s,
        passwords,
        hooks,
        policy: { sources: policy.sources, warnings: policyWarnings, keys: policy.policy },
      });
      return EXIT.ok;
    }
    if (!s.certificates.length)
      ctx.say('no certificates scheduled for renewal (run `keytalk-agent daemon` or the tray app once after enrolling)');
    else
      ctx.say(
        table(
          s.certificates.map((c) => [
            c.subject ?? c.sha256Fingerprint.slice(0, 16),
            `${c.provider}/${c.service}`,
            c.notAfter,
            c.renewAt,
            c.state,
            c.lastError ?? c.reason,
          ]),
          ['CERTIFICATE', 'FROM', 'EXPIRES', 'RENEW AT', 'STATE', 'WHY'],
        ),
      );
    for (const k of s.keepAlive) {
      ctx.say(
        `keep-alive ${k.provider}/${k.template} as ${k.user}: last ${k.lastSuccessAt ?? 'never'}, next ${k.nextAt}${k.lastError ? ` (last error: ${k.lastError})` : ''}`,
      );
    }
    for (const p of passwords) ctx.say(`${p.warn ? 'warning: ' : ''}${describePasswordExpiry(p)}`);
    // Renewal hooks: a failing one (exit status, when) is said here, as the renewal itself succeeded.
    for (const h of hooks)
      ctx.say(
        `${h.last && (h.last.exitCode !== 0 || h.last.timedOut) ? 'warning: ' : ''}hook for ${h.service} ${h.sha256.slice(0, 16)}: ${h.last ? describeHookRun(h.last) : 'not run yet'}`,
      );
    ctx.say(`unread messages: ${s.unreadMessages}`);
    for (const r of s.repaired) ctx.say(`warning: ${r}`);
    if (policy.sources.length) ctx.say(`managed by policy: ${policy.sources.join(', ')}`);
    for (const w of policyWarnings) ctx.say(`policy warning: ${w}`);
    if (policy.policy.supportContact) ctx.say(`support: ${policy.policy.supportContact}`);
    for (const d of s.disclaimers)
      ctx.say(`disclaimer "${d.name}" for ${d.email}: checked ${d.checkedAt}, applied ${d.appliedAt ?? 'never'}`);
    return EXIT.ok;
  },
};
