import type { CliCommand } from '../command';
import { EXIT, type ExitCode } from '../exit-codes';
import { cliEngine } from '../services';
import type { DoctorCheck } from '../../ipc/doctor-contract';
import type { LoadedPolicy } from '../../policy/load-policy';

/** A failed check's exit code: the same family `enroll` would exit with for that fault (README's table). */
const EXIT_BY_CHECK: Record<string, ExitCode> = {
  dns: EXIT.network,
  tcp: EXIT.network,
  tls: EXIT.tls,
  rcdp: EXIT.serverError,
  clock: EXIT.serverError,
  'public-api': EXIT.serverError,
  health: EXIT.serverError,
  'trust-roots': EXIT.serverError,
  'certificate-service': EXIT.serverError,
  home: EXIT.storeFailed,
  store: EXIT.storeFailed,
  'secret-store': EXIT.storeFailed,
  providers: EXIT.badInput,
};

const KIND: Record<number, string> = { 2: 'bad-input', 5: 'network', 6: 'tls', 7: 'server-error', 10: 'store-failed' };

const MARK: Record<DoctorCheck['status'], string> = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary:
    'check each provider (DNS, TCP, TLS, RCDP or Online CA service, clock, Public API) and this computer; exit 0 only if all pass',
  usage: ['doctor [--provider P] [--json]'],
  options: {
    provider: { value: true, valueName: 'P', description: 'check only this provider' },
  },
  async run(ctx, args) {
    const { runDoctor } = await import('../../doctor/run-doctor');
    const deps = cliEngine(ctx);
    const report = await runDoctor({
      home: ctx.home,
      stores: deps.stores,
      secretStore: deps.secretStore,
      provider: args.options.provider as string | undefined,
      appVersion: ctx.version,
      homeFix: 'fix its permissions or free disk space, or use another --home',
      daemon: async () => (await import('../../service/service-check')).serviceDoctorCheck({ env: ctx.env }),
      // Machine scope: the policy's store ids the system daemon ignores are policy warnings too, and a policy that
      // allows it no store is the reason its store check fails.
      ...(ctx.scope === 'machine' && {
        policy: () => machinePolicy(),
        noStores: 'the policy allows the system daemon none of the machine stores (see the policy warning); allow one',
      }),
    });
    const first = report.checks.find((c) => c.status === 'fail');
    const exit = first ? (EXIT_BY_CHECK[first.id] ?? EXIT.internal) : EXIT.ok;
    // The --json contract's failure fields (status, code, message; the CLI adds exitCode) around the full report.
    if (ctx.json)
      ctx.emitJson(
        first
          ? {
              status: 'failed',
              code: KIND[exit] ?? 'internal',
              message: `${first.scope} ${first.id}: ${first.summary}`,
              ...report,
            }
          : { status: 'ok', ...report },
      );
    else {
      const width = Math.max(...report.checks.map((c) => c.scope.length), 5);
      for (const c of report.checks) ctx.say(`${MARK[c.status]}  ${c.scope.padEnd(width)}  ${c.id.padEnd(12)}  ${c.summary}`);
      ctx.say(report.ok ? 'all checks passed' : 'some checks failed; the first FAIL line is the one to fix first');
    }
    return exit;
  },
};

/** The policy in force with, as more warnings, its store ids the system daemon ignores (app/policy/machine-stores.ts). */
async function machinePolicy(): Promise<LoadedPolicy> {
  const [{ currentPolicy }, { machineStoreWarnings }] = await Promise.all([
    import('../../policy/load-policy'),
    import('../../policy/machine-stores'),
  ]);
  const p = await currentPolicy();
  return { ...p, warnings: [...p.warnings, ...(await machineStoreWarnings())] };
}
