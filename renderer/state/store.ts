import { createStore, type StoreApi } from 'zustand/vanilla';
import { watchCore } from './watch-core';
import type {
  AboutInfo,
  StoreInfo,
  AgentState,
  DisclaimerSummary,
  PendingApprovalSummary,
  CertificateSummary,
  EventOf,
  KeytalkApi,
  ProviderSummary,
  RccdNeedsConfirmation,
  RequestOf,
  ServerMessage,
  Settings,
  SmimeAvailability,
  SmimeInviteResult,
} from '../../app/ipc/contract';
import type { ScannerReport, ScannerUserSettings, ScanNowResult } from '../../app/ipc/scanner-contract';
import type { MfaAccountGroup } from '../../app/ipc/mfa-contract';
import type { FlowAnswer } from '../../app/model/flow-types';
import { fileToBase64 } from '../shell/file-to-base64';
import { errorText } from '../api';
import { diagnosticsSlice, type DiagnosticsActions, type DiagnosticsState } from './diagnostics-slice';
import { strings } from '../strings';
import { changedDisclaimer } from './changed-disclaimer';
import { pageFromHash, pages, type Page } from './pages';
import { formatDateTime } from '../shell/format-date';
import { errorPlace as at } from './error-places';
import type { FlowView } from './flow-view';
export { pageFromHash, pages, type Page };
export type EnrollAdvanced = Pick<RequestOf<'enroll:start'>, 'format' | 'csr' | 'outOfBand'>;

export type { FlowView };

export type PopupRequest = EventOf<'popup:open'>;

export interface AppState extends DiagnosticsState {
  connected: boolean;
  page: Page;
  agent?: AgentState;
  settings?: Settings;
  certs: CertificateSummary[];
  messages: ServerMessage[];
  flow?: FlowView;
  popup?: PopupRequest;
  approvals: PendingApprovalSummary[];
  disclaimers: DisclaimerSummary[];
  about?: AboutInfo;
  /** Every store of this platform (settings page: where certificates go). */
  stores: StoreInfo[];
  /** Certificate scan: settings, what each server asked and got, the last runs (settings page). */
  scanner?: ScannerReport;
  /** The last scan started from this window, with its certificates. */
  scanRun?: ScanNowResult;
  scanning: boolean;
  /** Self-Service invitations: the availability answer for the chosen provider and the last invitation's result. */
  selfService: {
    provider?: string;
    /** false: orders placed with the CA (GlobalSign PersonalSign services) instead of certificates issued now. */
    synchronous: boolean;
    availability?: SmimeAvailability;
    result?: SmimeInviteResult;
    busy: boolean;
  };
  /** Saved MFA sign-ins per identity provider (settings page: sign out). */
  mfaAccounts: MfaAccountGroup[];
  /** Last error: in the alert region, or beside the control that caused it when `errorAt` names one (InlineError). */
  error?: string;
  errorAt?: string;
  /** Last success to announce politely. */
  notice?: string;
}

export interface AppActions extends DiagnosticsActions {
  setPage(page: Page): void;
  load(): Promise<void>;
  refreshCerts(): Promise<void>;
  refreshMessages(): Promise<void>;
  /** The imported provider, or the reasons an RCCD that vouches for itself must be confirmed (acceptUnsigned). */
  importRccd(file: File, acceptUnsigned?: boolean): Promise<ProviderSummary | RccdNeedsConfirmation | undefined>;
  removeProvider(name: string): Promise<void>;
  /** Add an Online CA provider by URL; undefined when the core refused it (its reason is in `error`). */
  addOnlineCa(request: RequestOf<'providers:add-onlineca'>): Promise<ProviderSummary | undefined>;
  /** `options`: the Enroll form's Advanced choices; cert options are always 'ask' (the engine knows the policy). */
  startEnroll(provider: string, service: string, options?: EnrollAdvanced): Promise<void>;
  changePassword(provider: string, service: string): Promise<void>;
  answer(answer: FlowAnswer): Promise<void>;
  cancelFlow(): Promise<void>;
  dismissFlow(): void;
  renew(sha256Fingerprint: string): Promise<void>;
  removeCert(sha256Fingerprint: string): Promise<void>;
  markRead(ids: string[]): Promise<void>;
  saveSettings(patch: Partial<Settings>): Promise<void>;
  dismissPopup(): void;
  clearError(): void;
  /** P12 of one certificate protected by `password`; undefined when it failed (error shown). */
  exportCert(sha256Fingerprint: string, password: string): Promise<{ fileName: string; dataBase64: string } | undefined>;
  refreshApprovals(): Promise<void>;
  /** A popup window asks the core which popup it was opened for (the event came before the window). */
  loadPopup(): Promise<void>;
  /** Ask the server again about every pending approval, then refresh the list and the certificates. */
  checkApprovals(): Promise<void>;
  refreshDisclaimers(): Promise<void>;
  /** Ask the servers for the current disclaimers now (the scheduler's own check), then show the result. */
  checkDisclaimers(): Promise<void>;
  loadAbout(): Promise<void>;
  loadStores(): Promise<void>;
  openLogFolder(): Promise<void>;
  loadScanner(): Promise<void>;
  /** True when saved (the core validates: absolute paths only). */
  saveScannerSettings(patch: Partial<ScannerUserSettings>): Promise<boolean>;
  scanNow(dryRun: boolean): Promise<void>;
  /** Ask whether the user's S/MIME certificate of `provider` may invite external recipients (and why not). */
  checkSmimeAvailability(provider: string, synchronous?: boolean): Promise<void>;
  /** Invite recipients through the Self-Service API; the result lands in `selfService.result`. */
  inviteSmime(provider: string, recipients: { email: string; mobile?: string }[]): Promise<void>;
  loadMfaAccounts(): Promise<void>;
  /** Sign out of one MFA account (its cached tokens are removed), then list the rest. */
  mfaSignOut(authority: string, clientId: string, username: string): Promise<void>;
}

export type AppStore = StoreApi<AppState & AppActions>;

/**
 * The renderer's whole state and every call it makes to the core. Components read slices and call actions;
 * only this module talks to the KeytalkApi, so component tests can hand it a fake API.
 */
export function createAppStore(api: KeytalkApi, initialPage?: Page, popupKind?: PopupRequest['popup']): AppStore {
  // A popup window (`#popup=<kind>`) shows its own kind only: another request the core raises meanwhile (the
  // scheduler's renewal reminder) has its own window and must not take over a disclaimer's or a sign-in's.
  const mine = (p: PopupRequest) => !popupKind || p.popup === popupKind;
  const store = createStore<AppState & AppActions>()((set, get) => {
    /**
     * Run a core call; failures land in `error` instead of throwing into React. `at` names the control that caused
     * it (the error is shown beside it), and its next success clears that error.
     */
    async function attempt<T>(fn: () => Promise<T>, at?: string): Promise<T | undefined> {
      try {
        const res = await fn();
        if (at && get().errorAt === at) set({ error: undefined, errorAt: undefined });
        return res;
      } catch (err) {
        set({ error: errorText(err), errorAt: at });
        return undefined;
      }
    }
    const flowEvent = (flowId: string, patch: Partial<FlowView>) => {
      const current = get().flow;
      if (current && current.flowId !== flowId && !current.outcome) return;
      const base: FlowView = current && current.flowId === flowId ? current : { flowId, promptSeq: 0, progressSeq: 0 };
      set({ flow: { ...base, ...patch } });
    };

    api.on('agent:state', (agent) => set({ agent, connected: true }));
    api.on('flow:prompt', ({ flowId, ...waiting }) =>
      flowEvent(flowId, { ...waiting, progress: undefined, promptSeq: (get().flow?.promptSeq ?? 0) + 1 }),
    );
    api.on('flow:progress', ({ flowId, progress }) =>
      flowEvent(flowId, { progress, progressSeq: (get().flow?.progressSeq ?? 0) + 1 }),
    );
    api.on('flow:done', ({ flowId, outcome }) => {
      flowEvent(flowId, { outcome, prompt: undefined, progress: undefined });
      void get().refreshCerts();
    });
    api.on('popup:open', (popup) => void (mine(popup) && set({ popup })));
    // Scheduler work done while the window is open is announced in the polite status region and shown at once.
    api.on('disclaimer:changed', (c) => {
      set({ notice: c.name ? strings.disclaimers.changed(c.name) : strings.disclaimers.removed(c.email) });
      void get().refreshDisclaimers();
    });
    api.on('certs:renewed', (r) => {
      set({ notice: strings.certificates.renewedUnattended(r.subject ?? r.service, formatDateTime(r.notAfter)) });
      void get().refreshCerts();
    });

    let navigated = false;
    return {
      connected: false,
      page: initialPage ?? 'certificates',
      certs: [],
      messages: [],
      approvals: [],
      disclaimers: [],
      stores: [],
      mfaAccounts: [],
      scanning: false,
      selfService: { synchronous: true, busy: false },
      ...diagnosticsSlice(api, set),
      setPage: (page) => {
        navigated = true;
        set({ page, notice: undefined });
      },
      async load() {
        // Each part on its own: one failing request (a store that cannot be read) must not leave the whole
        // window on "Connecting…"; what did load is shown and the failure lands in the alert region.
        // Settings first: reading them repairs a bad settings.json, which the state then reports.
        const settings = await attempt(() => api.invoke('settings:get', {}));
        const [agent, certs, messages] = await Promise.all([
          attempt(() => api.invoke('agent:get-state', {})),
          attempt(() => api.invoke('certs:list', {})),
          attempt(() => api.invoke('messages:list', {})),
        ]);
        if (!agent) return;
        // First run (nothing imported or enrolled) opens on Enroll, unless a page was asked for or chosen meanwhile.
        const firstRun = !initialPage && !navigated && agent.providers.length === 0 && !certs?.length;
        const page = firstRun ? 'enroll' : get().page;
        set({ agent, connected: true, page, settings: settings ?? get().settings });
        set({ certs: certs ?? get().certs, messages: messages ?? get().messages });
      },
      async refreshCerts() {
        const certs = await attempt(() => api.invoke('certs:list', {}));
        if (certs) set({ certs });
      },
      async refreshMessages() {
        const messages = await attempt(() => api.invoke('messages:list', {}));
        if (messages) set({ messages });
      },
      async importRccd(file, acceptUnsigned) {
        const dataBase64 = await fileToBase64(file);
        const provider = await attempt(() =>
          api.invoke('providers:import-rccd', { fileName: file.name, dataBase64, acceptUnsigned }),
        );
        if (provider && 'name' in provider) {
          set({ notice: strings.enroll.imported(provider.name) });
          const agent = await attempt(() => api.invoke('agent:get-state', {}));
          if (agent) set({ agent });
        }
        return provider;
      },
      async addOnlineCa(request) {
        const provider = await attempt(() => api.invoke('providers:add-onlineca', request));
        if (provider) {
          set({ notice: strings.onlineCa.added(provider.name), error: undefined });
          const agent = await attempt(() => api.invoke('agent:get-state', {}));
          if (agent) set({ agent });
        }
        return provider;
      },
      async removeProvider(name) {
        if (await attempt(() => api.invoke('providers:remove', { name }))) {
          set({ notice: strings.settings.providerRemoved(name) });
          const agent = await attempt(() => api.invoke('agent:get-state', {}));
          if (agent) set({ agent });
        }
      },
      async startEnroll(provider, service, options = {}) {
        set({ flow: undefined, error: undefined });
        const request = { provider, service, ...options, certOptions: 'ask' as const };
        const res = await attempt(() => api.invoke('enroll:start', request), `enroll:${provider}`);
        if (res) flowEvent(res.flowId, {});
      },
      async changePassword(provider, service) {
        set({ flow: undefined, error: undefined, page: 'enroll' });
        const res = await attempt(() => api.invoke('password:change', { provider, service }));
        if (res) flowEvent(res.flowId, {});
      },
      async answer(answer) {
        const flow = get().flow;
        if (!flow) return;
        set({ flow: { ...flow, prompt: undefined } });
        await attempt(() => api.invoke('flow:answer', { flowId: flow.flowId, answer }));
      },
      async cancelFlow() {
        const flow = get().flow;
        if (!flow) return;
        await attempt(() => api.invoke('flow:cancel', { flowId: flow.flowId }));
        set({ flow: undefined });
      },
      dismissFlow: () => set({ flow: undefined }),
      async renew(sha256Fingerprint) {
        const res = await attempt(() => api.invoke('certs:renew', { sha256Fingerprint }), at.cert(sha256Fingerprint));
        if (res) {
          set({ flow: { flowId: res.flowId, promptSeq: 0, progressSeq: 0 }, page: 'enroll' });
        }
      },
      async removeCert(sha256Fingerprint) {
        const place = at.cert(sha256Fingerprint);
        if (await attempt(() => api.invoke('certs:remove', { sha256Fingerprint }), place)) await get().refreshCerts();
      },
      async markRead(ids) {
        if (await attempt(() => api.invoke('messages:mark-read', { ids }), at.messages)) {
          const wanted = new Set(ids);
          set({ messages: get().messages.map((m) => (wanted.has(m.id) ? { ...m, read: true } : m)) });
          const agent = await attempt(() => api.invoke('agent:get-state', {}));
          if (agent) set({ agent });
        }
      },
      async saveSettings(patch) {
        const settings = await attempt(() => api.invoke('settings:set', patch), patch.stores ? 'settings:stores' : 'settings');
        if (settings) set({ settings, notice: strings.settings.saved });
        if (settings && patch.stores) await get().loadStores();
      },
      dismissPopup: () => set({ popup: undefined }),
      clearError: () => set({ error: undefined, errorAt: undefined }),
      async exportCert(sha256Fingerprint, password) {
        const res = await attempt(
          () => api.invoke('certs:export', { sha256Fingerprint, password }),
          at.export(sha256Fingerprint),
        );
        if (res) set({ notice: strings.certificates.exported(res.fileName) });
        return res;
      },
      async loadPopup() {
        const res = await attempt(() => api.invoke('popup:current', {}));
        if (res?.popup && mine(res.popup) && !get().popup) set({ popup: res.popup });
      },
      async refreshApprovals() {
        const approvals = await attempt(() => api.invoke('approvals:list', {}));
        if (approvals) set({ approvals });
      },
      async checkApprovals() {
        const results = await attempt(() => api.invoke('approvals:check', {}));
        if (results)
          set({
            notice: strings.certificates.approvalsChecked(results.filter((r) => r.status === 'issued').length, results.length),
          });
        await get().refreshApprovals();
        await get().refreshCerts();
      },
      async refreshDisclaimers() {
        const disclaimers = await attempt(() => api.invoke('disclaimers:list', {}));
        if (!disclaimers) return;
        // A changed disclaimer (new name or re-applied) is announced once, when the list shows it.
        const changed = changedDisclaimer(get().disclaimers, disclaimers);
        set({ disclaimers, ...(changed ? { notice: strings.disclaimers.changed(changed.name) } : {}) });
      },
      async checkDisclaimers() {
        const before = get().disclaimers;
        const disclaimers = await attempt(() => api.invoke('disclaimers:check', {}));
        // A failed check leaves its reason in the alert region; the list still shows what is in force.
        if (!disclaimers) return get().refreshDisclaimers();
        const changed = changedDisclaimer(before, disclaimers, true);
        set({ disclaimers, notice: changed ? strings.disclaimers.changed(changed.name) : strings.disclaimers.unchanged });
      },
      async loadStores() {
        const stores = await attempt(() => api.invoke('stores:list', {}));
        if (stores) set({ stores });
      },
      async checkSmimeAvailability(provider, synchronous = true) {
        set({ selfService: { provider, synchronous, busy: true } });
        const availability = await attempt(
          () => api.invoke('smime:availability', { provider, ...(synchronous ? {} : { synchronous: false }) }),
          at.invite,
        );
        set({ selfService: { provider, synchronous, availability, busy: false } });
      },
      async inviteSmime(provider, recipients) {
        const before = get().selfService;
        set({ selfService: { ...before, result: undefined, busy: true } });
        const mode = before.synchronous ? {} : { synchronous: false };
        const result = await attempt(() => api.invoke('smime:invite', { provider, recipients, ...mode }), at.invite);
        set({
          selfService: { ...get().selfService, result, busy: false },
          ...(result ? { notice: strings.selfService.done(result.succeeded.length, recipients.length) } : {}),
        });
      },
      async loadAbout() {
        const about = await attempt(() => api.invoke('app:about', {}));
        if (about) set({ about });
      },
      async openLogFolder() {
        const res = await attempt(() => api.invoke('logs:open-folder', {}));
        if (res) set({ notice: res.opened ? strings.settings.logsOpened(res.path) : strings.settings.logsAt(res.path) });
      },
      async loadScanner() {
        const scanner = await attempt(() => api.invoke('scanner:report', {}), at.scannerReport);
        if (scanner) set({ scanner });
      },
      async saveScannerSettings(patch) {
        const local = await attempt(() => api.invoke('scanner:settings-set', patch), at.scannerSettings);
        const current = get().scanner;
        if (local && current) set({ scanner: { ...current, local } });
        if (local) set({ notice: strings.scanner.saved });
        return !!local;
      },
      async scanNow(dryRun) {
        set({ scanning: true, error: undefined });
        const scanRun = await attempt(() => api.invoke('scanner:scan-now', { dryRun }), at.scanner);
        set({ scanning: false });
        if (scanRun) set({ scanRun, notice: strings.scanner.finished(scanRun.summary.status, scanRun.summary.sent) });
        await get().loadScanner();
      },
      async loadMfaAccounts() {
        const mfaAccounts = await attempt(() => api.invoke('mfa:accounts', {}), at.mfaList);
        if (mfaAccounts) set({ mfaAccounts });
      },
      async mfaSignOut(authority, clientId, username) {
        const done = await attempt(() => api.invoke('mfa:sign-out', { authority, clientId, username }), at.mfa);
        if (done) set({ notice: strings.mfaAccounts.signedOut(username) });
        await get().loadMfaAccounts();
      },
    };
  });
  watchCore(api, store);
  return store;
}
