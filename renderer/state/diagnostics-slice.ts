import type { KeytalkApi } from '../../app/ipc/contract';
import type { DoctorReport } from '../../app/ipc/doctor-contract';
import { errorText } from '../api';

/** The Settings page's "Test connection": the last report, or why the test itself could not run. */
export interface DiagnosticsState {
  doctor: { running: boolean; report?: DoctorReport; error?: string };
}

export interface DiagnosticsActions {
  /** Run the core's connectivity check (`doctor:run`, the same as `keytalk-agent doctor`). */
  runDoctor(provider?: string): Promise<void>;
}

/**
 * The diagnostics part of the app store, in its own module so store.ts stays one screenful per concern. Its error
 * stays beside the button that caused it (issue 19: messages where the user looks), not in the global alert.
 */
export function diagnosticsSlice(
  api: KeytalkApi,
  set: (patch: Partial<DiagnosticsState>) => void,
): DiagnosticsState & DiagnosticsActions {
  return {
    doctor: { running: false },
    async runDoctor(provider) {
      set({ doctor: { running: true } });
      try {
        const report = await api.invoke('doctor:run', provider ? { provider } : {});
        set({ doctor: { running: false, report } });
      } catch (err) {
        set({ doctor: { running: false, error: errorText(err) } });
      }
    },
  };
}
