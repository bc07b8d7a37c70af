import type { RequestHandlers } from '../ipc/dispatcher';
import type { AgentContext } from './agent-context';

/**
 * `doctor:run`, the Settings page's "Test connection": the same checks as `keytalk-agent doctor` (app/doctor),
 * over the core's own stores and secret store; and `diagnostics:bundle`, the support bundle with that check in it
 * (app/diagnostics). The modules load on first use; one run of each at a time, since a second click while the first
 * still waits on a dead server would only double the wait.
 */
export function doctorHandlers(
  ctx: Pick<AgentContext, 'home' | 'deps'>,
  version: string,
): Pick<RequestHandlers, 'doctor:run' | 'diagnostics:bundle'> {
  const doctor = async (provider?: string) =>
    (await import('../doctor/run-doctor')).runDoctor({
      home: ctx.home,
      stores: ctx.deps.stores,
      secretStore: ctx.deps.secretStore,
      provider,
      appVersion: version,
      daemon: async () => (await import('../service/service-check')).serviceDoctorCheck(),
    });
  const once = <A extends unknown[], T>(what: string, fn: (...a: A) => Promise<T>) => {
    let running = false;
    return async (...a: A): Promise<T> => {
      if (running) throw new Error(`${what} is already running; wait for its result`);
      running = true;
      try {
        return await fn(...a);
      } finally {
        running = false;
      }
    };
  };
  const runDoctor = once('a connection test', doctor);
  const bundle = once('a support bundle', async () => {
    const { buildSupportBundle } = await import('../diagnostics/bundle');
    const b = await buildSupportBundle({ home: ctx.home, version, stores: ctx.deps.stores, doctor: () => doctor() });
    return { fileName: b.fileName, dataBase64: Buffer.from(b.data).toString('base64'), entries: b.entries };
  });
  return {
    'doctor:run': ({ provider }) => runDoctor(provider),
    'diagnostics:bundle': () => bundle(),
  };
}
