import type { RequestHandlers } from '../ipc/dispatcher';
import type { AgentContext } from './agent-context';

/**
 * `doctor:run`, the Settings page's "Test connection": the same checks as `keytalk-agent doctor` (app/doctor),
 * over the core's own stores and secret store. The module loads on first use; one run at a time, since a second
 * click while the first still waits on a dead server would only double the wait.
 */
export function doctorHandlers(ctx: Pick<AgentContext, 'home' | 'deps'>, version: string): Pick<RequestHandlers, 'doctor:run'> {
  let running: Promise<unknown> | undefined;
  return {
    'doctor:run': async ({ provider }) => {
      if (running) throw new Error('a connection test is already running; wait for its result');
      const { runDoctor } = await import('../doctor/run-doctor');
      const run = runDoctor({
        home: ctx.home,
        stores: ctx.deps.stores,
        secretStore: ctx.deps.secretStore,
        provider,
        appVersion: version,
        daemon: async () => (await import('../service/service-check')).serviceDoctorCheck(),
      });
      running = run;
      try {
        return await run;
      } finally {
        running = undefined;
      }
    },
  };
}
