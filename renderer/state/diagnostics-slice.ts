import type { KeytalkApi } from '../../app/ipc/contract';
import type { DoctorReport } from '../../app/ipc/doctor-contract';
import { errorText } from '../api';

/** The Settings page's "Test connection": the last report, or why the test itself could not run. */
export interface DiagnosticsState {
  doctor: { running: boolean; report?: DoctorReport; error?: string };
  /** "Create support bundle": working, done (the download was handed over), or why it failed. */
  bundle: { running: boolean; done?: boolean; error?: string };
}

export interface DiagnosticsActions {
  /** Run the core's connectivity check (`doctor:run`, the same as `keytalk-agent doctor`). */
  runDoctor(provider?: string): Promise<void>;
  /** Build the support bundle in the core (`diagnostics:bundle`) and hand it to `save` (a browser download). */
  createSupportBundle(save: (fileName: string, dataBase64: string) => void): Promise<void>;
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
    bundle: { running: false },
    async runDoctor(provider) {
      set({ doctor: { running: true } });
      try {
        const report = await api.invoke('doctor:run', provider ? { provider } : {});
        set({ doctor: { running: false, report } });
      } catch (err) {
        set({ doctor: { running: false, error: errorText(err) } });
      }
    },
    async createSupportBundle(save) {
      set({ bundle: { running: true } });
      try {
        const b = await api.invoke('diagnostics:bundle', {});
        save(b.fileName, b.dataBase64);
        set({ bundle: { running: false, done: true } });
      } catch (err) {
        set({ bundle: { running: false, error: errorText(err) } });
      }
    },
  };
}
