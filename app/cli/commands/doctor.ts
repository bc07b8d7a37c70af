import type { CliCommand } from '../command';
import { EXIT, type ExitCode } from '../exit-codes';
import { cliEngine } from '../services';
import type { DoctorCheck } from '../../ipc/doctor-contract';

/** A failed check's exit code: the same family `enroll` would exit with for that fault (README's table). */
const EXIT_BY_CHECK: Record<string, ExitCode> = {
  dns: EXIT.network,
  tcp: EXIT.network,
  tls: EXIT.tls,
  rcdp: EXIT.serverError,
  clock: EXIT.serverError,
  'public-api': EXIT.serverError,
  health: EXIT.serverError,
  home: EXIT.storeFailed,
  store: EXIT.storeFailed,
  'secret-store': EXIT.storeFailed,
  providers: EXIT.badInput,
};

const MARK: Record<DoctorCheck['status'], string> = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'check each provider (DNS, TCP, TLS, RCDP, clock, Public API) and this computer; exit 0 only if all pass',
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
    });
    if (ctx.json) ctx.emitJson(report);
    else {
      const width = Math.max(...report.checks.map((c) => c.scope.length), 5);
      for (const c of report.checks) ctx.say(`${MARK[c.status]}  ${c.scope.padEnd(width)}  ${c.id.padEnd(12)}  ${c.summary}`);
      ctx.say(report.ok ? 'all checks passed' : 'some checks failed; the first FAIL line is the one to fix first');
    }
    const first = report.checks.find((c) => c.status === 'fail');
    return first ? (EXIT_BY_CHECK[first.id] ?? EXIT.internal) : EXIT.ok;
  },
};
