import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { CertificateSummary, DisclaimerSummary, EventChannel, EventOf, Settings } from '../ipc/contract';
import { buildPkcs12 } from '../crypto/p12-write';
import { parseDisclaimerZip } from '../mail/disclaimer-zip';
import { SUPPORTED_VERSIONS } from '../rcdp/versions';
import { DisclaimerState, type DisclaimerChange } from '../scheduler/periodic-jobs';
import { userMailIntegration } from '../mail/user-mail';
import packageJson from '../../package.json';
import type { EventSink, RequestHandlers } from '../ipc/dispatcher';
import { homeLayout, resolveHome } from '../config/home';
import { runEnrollment, type EngineDeps, type EnrollRequest } from '../engine/enroll';
import { subjectInRfc4514Order } from '../engine/subject-order';
import { FlowAnswer, type FlowOutcome, type FlowPrompt } from '../engine/flow-types';
import { FlowCancelledError, MissingInputError, type FlowFrontEnd } from '../engine/front-end';
import type { ProviderRegistry } from '../engine/providers';
import { addOnlineCaProvider, onlineCaProviderSummary } from '../onlineca/provider';
import { enrollments, messageStore, pendingApprovals, type PendingApproval } from '../engine/state';
import { createLogger, fileSink, type Logger } from '../log/logger';
import type { CertificateBundle, CertificateStore } from '../stores/store';
import { readJsonFile, writeJsonAtomic } from '../system/atomic-write';
import { MemorySecretStore, type SecretStore } from '../system/secret-store';
import { AgentScheduler } from '../scheduler/agent-scheduler';
import { nextRenewal, uiNotifier, withRenewalInfo, type Emit } from '../scheduler/ui-bridge';
import { replaceInStores } from '../scheduler/replace-certificate';
import { createEngineDeps } from './engine-deps';
import { scannerHandlers } from './scanner-handlers';
import { mfaHandlers } from './mfa-handlers';
import type { SignInWindowOpener } from '../mfa/sign-in-window';
import { selfServiceHandlers } from '../smime/self-service-handlers';
import { readSettings } from './settings';

/**
 * The agent core: one object per process that owns the engine, stores and flows and implements the IPC
 * contract's request handlers. Electron's main process and the browser host both create one and bind it to
 * their transport; the CLI uses the same engine directly. No flow logic lives in any front-end: a flow's
 * prompts go out as `flow:prompt` events and come back through `flow:answer`.
 */
export interface AgentOptions {
  home?: string;
  secretStore?: SecretStore;
  version?: string;
  /** Replace parts of the engine wiring (tests: HWSIG probes, MFA, RCDP timeouts, DNS). */
  engine?: Partial<Omit<EngineDeps, 'home'>>;
  providers?: ProviderRegistry;
  log?: Logger;
  /**
   * Run the renewal scheduler (keep-alive, messages, disclaimers, renewals) while started. Default true: the
   * tray app and the browser host are the agent. Tests of flows alone turn it off.
   */
  scheduler?: boolean;
  /**
   * Mail-client side of email disclaimers (the scheduler's disclaimer job). Default: every Thunderbird profile
   * (and Outlook on Windows) of the user in `mailUserHome` (default the OS home); `false` turns disclaimer jobs off.
   */
  mail?: false | { applyDisclaimer(change: DisclaimerChange): Promise<{ applied: string[] }> };
  /** Also where a scan started from the UI (`scanner:scan-now`) looks for the user's NSS databases. */
  mailUserHome?: string;
  /** Self-Service API base URL for every provider (default https://<provider host>:3000); tests give the simulator's. */
  ssapiUrl?: string;
  /** Spread of newly scheduled periodic jobs (default the scheduler's 1 min); e2e tests shorten it. */
  schedulerStartupJitterMs?: number;
  /** Electron main's popup window for mfa-settings kind `mfa-popups`; without it they use the system browser. */
  signInWindow?: SignInWindowOpener;
}

/** Work done after a certificate is issued and before flow:done is published (a renewal retires the old one). */
export type OnIssued = (outcome: Extract<FlowOutcome, { status: 'issued' }>) => Promise<void>;

export interface StartedFlow {
  flowId: string;
  done: Promise<FlowOutcome>;
}

export interface AgentCore {
  readonly home: string;
  readonly handlers: RequestHandlers;
  /** Subscribe to core events (bindings forward them to windows). */
  onEvent(listener: <C extends EventChannel>(channel: C, payload: EventOf<C>) => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resume from sleep, screen unlock, time-zone change: due times are re-checked against the wall clock. */
  onSystemEvent?(event: string): void;
}

/** What createAgent() returns: the core plus the entry points the tray and the scheduler call directly. */
export interface AgentRuntime extends AgentCore {
  /**
   * Start an enrollment. Without `frontEnd` its prompts go to the UI as flow:prompt events (answered with
   * flow:answer); with one (CLI, tests) they go there. Progress and the outcome are always published too.
   */
  startFlow(request: EnrollRequest, frontEnd?: FlowFrontEnd, signal?: AbortSignal, onIssued?: OnIssued): StartedFlow;
  /**
   * Scheduler entry point: renew one certificate without asking anybody, using remembered credentials (or
   * the seat key). Resolves with code 'needs-input' when the user must sign in; the caller then shows the
   * unattended-renewal popup and starts an interactive flow with `certs:renew`.
   */
  renewSilently(sha256Fingerprint: string, extra?: Partial<EnrollRequest>, signal?: AbortSignal): Promise<FlowOutcome>;
  /** Re-poll enrollments waiting for approval (scheduler). */
  pollPendingApprovals(): Promise<{ pending: PendingApproval; outcome: FlowOutcome }[]>;
  readonly engineDeps: EngineDeps;
}

export { readSettings };

interface FlowEntry {
  id: string;
  request: EnrollRequest;
  abort: AbortController;
  waiting?: { prompt: FlowPrompt; resolve: (a: FlowAnswer) => void; reject: (e: Error) => void };
}

export function createAgent(options: AgentOptions = {}): AgentRuntime {
  const home = resolveHome(options.home);
  const layout = homeLayout(home);
  const emitter = new EventEmitter();
  // The last popup request is kept: Electron opens a window for it, and that window loads after the event.
  let currentPopup: EventOf<'popup:open'> | undefined;
  const sink: EventSink = {
    emit: (channel, payload) => {
      if (channel === 'popup:open') currentPopup = payload as EventOf<'popup:open'>;
      emitter.emit('event', channel, payload);
    },
  };
  const settingsFile = path.join(layout.state, 'settings.json');
  const secretStore = options.secretStore ?? new MemorySecretStore();
  const version = options.version ?? '0.1.0';
  const log = options.log ?? createLogger(fileSink(layout.logs), 'info', { component: 'agent' });
  const base = createEngineDeps({
    home,
    secretStore,
    log,
    appVersion: version,
    settings: () => readSettings(home),
    providers: options.providers,
    signInWindow: options.signInWindow,
  });
  const deps: EngineDeps = { ...base, ...options.engine, home };
  const providers = base.providerRegistry;
  const flows = new Map<string, FlowEntry>();
  let lastError: string | undefined;
  let scheduler: AgentScheduler | undefined;
  // Work started by the core that outlives the request that started it (flows, post-flow syncs); stop() waits for it.
  const background = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    background.add(p);
    void p.finally(() => background.delete(p)).catch(() => undefined);
    return p;
  };
  const schedulerStatus = async () => (scheduler ? scheduler.status().catch(() => undefined) : undefined);

  const state = async () => {
    const [list, messages, schedule] = await Promise.all([
      providers.list().catch(() => []),
      messageStore.list(home),
      schedulerStatus(),
    ]);
    const next = schedule ? nextRenewal(schedule) : undefined;
    const waiting = [...flows.values()].some((f) => f.waiting);
    return {
      status: waiting
        ? ('attention' as const)
        : flows.size
          ? ('working' as const)
          : lastError
            ? ('error' as const)
            : ('idle' as const),
      version,
      home,
      providers: list,
      unreadMessages: messages.filter((m) => !m.read).length,
      ...(next ? { nextRenewal: next } : {}),
      ...(flows.size ? { activeFlow: [...flows.keys()][0] } : {}),
      ...(lastError ? { lastError } : {}),
    };
  };
  const publishState = () => {
    void state().then(
      (s) => sink.emit('agent:state', s),
      () => undefined,
    );
  };

  const ipcFrontEnd = (entry: FlowEntry): FlowFrontEnd => ({
    prompt(prompt) {
      return new Promise<FlowAnswer>((resolve, reject) => {
        if (entry.abort.signal.aborted) return reject(new FlowCancelledError());
        entry.waiting = { prompt, resolve, reject };
        sink.emit('flow:prompt', { flowId: entry.id, prompt });
        publishState();
      });
    },
    progress(progress) {
      sink.emit('flow:progress', { flowId: entry.id, progress });
    },
  });

  const startFlow = (request: EnrollRequest, frontEnd?: FlowFrontEnd, signal?: AbortSignal, onIssued?: OnIssued): StartedFlow => {
    const entry: FlowEntry = { id: randomUUID(), request, abort: new AbortController() };
    if (signal) {
      if (signal.aborted) entry.abort.abort();
      else signal.addEventListener('abort', () => entry.abort.abort(), { once: true });
    }
    flows.set(entry.id, entry);
    const ipc = ipcFrontEnd(entry);
    const fe: FlowFrontEnd = frontEnd
      ? {
          prompt: (p) => frontEnd.prompt(p),
          progress: (p) => {
            ipc.progress(p);
            frontEnd.progress(p);
          },
        }
      : ipc;
    publishState();
    const done = track(
      runEnrollment(request, fe, deps, entry.abort.signal).then(async (outcome) => {
        if (outcome.status === 'issued' && onIssued) {
          // The new certificate is stored; a failure to retire the old one is logged, never turned into a failed
          // renewal (the old one stays until the scheduler's next switch-over attempt or the user removes it).
          await onIssued(outcome).catch((err: Error) =>
            log.warn('retiring the renewed certificate failed', { error: err.message }),
          );
        }
        flows.delete(entry.id);
        lastError = outcome.status === 'failed' && outcome.code !== 'cancelled' ? outcome.message : undefined;
        // A new certificate is watched for renewal at once, not at the scheduler's next periodic sync.
        if (outcome.status === 'issued' && scheduler)
          track(scheduler.sync().catch((err: Error) => log.warn('scheduler sync failed', { error: err.message })));
        sink.emit('flow:done', { flowId: entry.id, outcome });
        publishState();
        return outcome;
      }),
    );
    return { flowId: entry.id, done };
  };

  const findFlow = (flowId: string): FlowEntry => {
    const f = flows.get(flowId);
    if (!f) throw new Error(`no running enrollment ${flowId} (it finished or was cancelled)`);
    return f;
  };

  const allStores = async (): Promise<CertificateStore[]> => deps.stores();

  const certsList = async (): Promise<CertificateSummary[]> => {
    const byFp = new Map<string, CertificateSummary>();
    for (const store of await allStores()) {
      let items;
      try {
        items = await store.list();
      } catch (err) {
        log.warn('store list failed', { store: store.id, error: (err as Error).message });
        continue;
      }
      for (const c of items) {
        const fp = c.sha256Fingerprint.toUpperCase();
        const seen = byFp.get(fp);
        if (seen) {
          if (!seen.stores.includes(c.storeId)) seen.stores.push(c.storeId);
          continue;
        }
        byFp.set(fp, {
          sha256Fingerprint: fp,
          serialNumber: c.serialNumber,
          // Stores report certificate (DER) order; the UI shows RFC 4514 order like the CLI and the flow outcome.
          subject: subjectInRfc4514Order(c.subject),
          issuer: subjectInRfc4514Order(c.issuer),
          notBefore: c.notBefore,
          notAfter: c.notAfter,
          ...(c.origin ? { provider: c.origin.provider, service: c.origin.service } : {}),
          stores: [c.storeId],
        });
      }
    }
    for (const rec of await enrollments.list(home)) {
      const s = byFp.get(rec.sha256Fingerprint.toUpperCase());
      if (s && !s.provider) Object.assign(s, { provider: rec.provider, service: rec.service });
    }
    return [...byFp.values()].sort((a, b) => a.notAfter.localeCompare(b.notAfter));
  };

  /** A certificate with its key and chain, from a store that can hand it back (file store). */
  const readBundle = async (fp: string): Promise<CertificateBundle | undefined> => {
    for (const s of await allStores()) {
      const read = (s as { read?: (fp: string) => Promise<CertificateBundle> }).read;
      if (typeof read !== 'function') continue;
      try {
        return await read.call(s, fp);
      } catch {
        // not in this store
      }
    }
    return undefined;
  };
  /** The certificate being renewed: gives retired-computer-name. */
  const previousCertPem = async (fp: string): Promise<string | undefined> => (await readBundle(fp))?.certPem;

  const disclaimerState = new DisclaimerState(layout.state);
  const disclaimerClientsFile = path.join(layout.state, 'disclaimer-clients.json');
  const disclaimerSummaries = async (): Promise<DisclaimerSummary[]> => {
    const clients = await readJsonFile<Record<string, string[]>>(disclaimerClientsFile, {});
    return (await disclaimerState.list()).map((d) => ({
      provider: d.provider,
      service: d.service,
      email: d.email,
      name: d.name,
      preview: disclaimerPreview(d.zipBase64),
      appliedTo: clients[d.email] ?? [],
      checkedAt: d.checkedAt,
      ...(d.appliedAt ? { appliedAt: d.appliedAt } : {}),
    }));
  };

  const renewalRequest = async (sha256Fingerprint: string): Promise<EnrollRequest> => {
    const fp = sha256Fingerprint.toUpperCase();
    const rec = await enrollments.get(home, fp);
    if (rec) {
      return {
        provider: rec.provider,
        service: rec.service,
        format: rec.format,
        csr: rec.csr,
        storeIds: rec.stores,
        previousCertPem: await previousCertPem(fp),
        ...(rec.userId ? { credentials: { USERID: rec.userId } } : {}),
      };
    }
    const cert = (await certsList()).find((c) => c.sha256Fingerprint === fp);
    if (!cert) throw new Error(`no certificate with fingerprint ${fp} in the configured stores`);
    if (!cert.provider || !cert.service)
      throw new Error(`certificate ${fp} was not enrolled from a KeyTalk provider; it cannot be renewed here`);
    return { provider: cert.provider, service: cert.service, storeIds: cert.stores };
  };

  const handlers: RequestHandlers = {
    'agent:get-state': async () => state(),
    'providers:import-rccd': async ({ fileName, dataBase64 }) => {
      const summary = await providers.import(fileName, Buffer.from(dataBase64, 'base64'));
      publishState();
      return summary;
    },
    'providers:add-onlineca': async ({ name, url, pinSha256, renewPercent }) => {
      const record = await addOnlineCaProvider(home, name, url, { pinnedFingerprint: pinSha256, renewPercent });
      publishState();
      return onlineCaProviderSummary(record);
    },
    'providers:remove': async ({ name }) => {
      await providers.remove(name);
      publishState();
      return { ok: true };
    },
    'enroll:start': async (req) => ({ flowId: startFlow({ ...req, certOptions: undefined }).flowId }),
    'flow:answer': async ({ flowId, answer }) => {
      const f = findFlow(flowId);
      const w = f.waiting;
      if (!w) throw new Error(`enrollment ${flowId} is not waiting for an answer`);
      if (w.prompt.kind !== answer.kind)
        throw new Error(`enrollment ${flowId} waits for a ${w.prompt.kind} answer, not ${answer.kind}`);
      f.waiting = undefined;
      w.resolve(FlowAnswer.parse(answer));
      publishState();
      return { ok: true };
    },
    'flow:cancel': async ({ flowId }) => {
      const f = flows.get(flowId);
      if (!f) return { ok: true };
      f.abort.abort();
      f.waiting?.reject(new FlowCancelledError());
      f.waiting = undefined;
      return { ok: true };
    },
    'certs:list': async () => {
      const [list, schedule] = await Promise.all([certsList(), schedulerStatus()]);
      return schedule ? withRenewalInfo(list, schedule) : list;
    },
    'certs:renew': async ({ sha256Fingerprint }) => {
      const oldFp = sha256Fingerprint.toUpperCase();
      if (typeof currentPopup?.data.sha256Fingerprint === 'string' && currentPopup.data.sha256Fingerprint.toUpperCase() === oldFp)
        currentPopup = undefined;
      const retireOld: OnIssued = async (issued) => {
        const old = (await certsList()).find((c) => c.sha256Fingerprint === oldFp);
        if (!old) return;
        await replaceInStores(await allStores(), { sha256Fingerprint: oldFp, stores: old.stores }, issued.sha256Fingerprint);
        await enrollments.remove(home, oldFp);
      };
      return { flowId: startFlow(await renewalRequest(oldFp), undefined, undefined, retireOld).flowId };
    },
    'certs:remove': async ({ sha256Fingerprint }) => {
      const fp = sha256Fingerprint.toUpperCase();
      for (const s of await allStores()) {
        const found = await s.find({ sha256Fingerprint: fp }).catch(() => []);
        if (found.length) await s.remove(fp);
      }
      await enrollments.remove(home, fp);
      return { ok: true };
    },
    'messages:list': async () => (await messageStore.list(home)).sort((a, b) => b.utc.localeCompare(a.utc)),
    'messages:mark-read': async ({ ids }) => {
      await messageStore.markRead(home, ids);
      publishState();
      return { ok: true };
    },
    'certs:export': async ({ sha256Fingerprint, password }) => {
      const fp = sha256Fingerprint.toUpperCase();
      const bundle = await readBundle(fp);
      if (!bundle)
        throw new Error(
          `certificate ${fp} is in no store that can export it (only the file store keeps the private key for export)`,
        );
      if (!bundle.keyPem)
        throw new Error(`certificate ${fp} has no private key in the file store; there is nothing to export as P12`);
      const p12 = buildPkcs12({
        certPem: bundle.certPem,
        keyPem: bundle.keyPem,
        chainPem: bundle.chainPem,
        password,
        friendlyName: bundle.label,
      });
      const base = (bundle.label || fp.slice(0, 16)).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'certificate';
      return { fileName: `${base}.p12`, dataBase64: p12.toString('base64') };
    },
    'approvals:list': async () =>
      (await pendingApprovals.list(home)).map((p) => ({
        provider: p.provider,
        service: p.service,
        ...(p.userId ? { userId: p.userId } : {}),
        since: p.since,
        lastPolled: p.lastPolled,
      })),
    'approvals:check': async () =>
      (await runtime.pollPendingApprovals()).map(({ pending, outcome }) => ({
        provider: pending.provider,
        service: pending.service,
        status: outcome.status === 'failed' ? outcome.code : outcome.status,
        ...('message' in outcome && typeof outcome.message === 'string' ? { message: outcome.message } : {}),
      })),
    'disclaimers:list': async () => disclaimerSummaries(),
    'disclaimers:check': async () => {
      if (!scheduler)
        throw new Error("disclaimers cannot be checked: the agent's scheduler is not running; restart the agent and try again");
      const errors = await scheduler.checkDisclaimers();
      if (errors.length)
        throw new Error(`checking the e-mail disclaimer failed for ${errors.join('; ')}; the agent tries again later by itself`);
      return disclaimerSummaries();
    },
    ...selfServiceHandlers(home, { ssapiUrl: options.ssapiUrl }),
    'app:about': async () => ({
      agent: version,
      node: process.versions.node,
      // Only inside Electron's main process; the browser host runs on plain Node.
      ...(process.versions.electron ? { electron: process.versions.electron } : {}),
      ...(process.versions.chrome ? { chrome: process.versions.chrome } : {}),
      rcdpVersions: [...SUPPORTED_VERSIONS],
      license: packageJson.license,
    }),
    // The core cannot open a folder on the desktop; Electron main wraps this with shell.openPath.
    'stores:list': async () => {
      const { createStores, describeStores, storeCatalog } = await import('../stores/registry');
      const enabled = (await readSettings(home)).stores;
      const all = createStores({ home, enabled: storeCatalog(process.platform).map((e) => e.id), secrets: secretStore });
      // One catalog id can stand for several stores (every Firefox profile: "firefox:<profile>").
      return (await describeStores(all)).map((d) => ({
        ...d,
        enabled: enabled.includes(d.id) || enabled.includes(d.id.split(':')[0]!),
      }));
    },
    'logs:open-folder': async () => ({ path: layout.logs, opened: false }),
    'popup:current': async () => (currentPopup ? { popup: currentPopup } : {}),
    'settings:get': async () => readSettings(home),
    'settings:set': async (patch) => {
      const next = { ...(await readSettings(home)), ...patch } as Settings;
      await writeJsonAtomic(settingsFile, next);
      sink.emit('agent:state', await state());
      return next;
    },
    ...scannerHandlers(deps, { track, userHome: options.mailUserHome }),
    ...mfaHandlers(deps),
  };

  const unattendedFrontEnd: FlowFrontEnd = {
    prompt: async (p) => {
      throw new MissingInputError([p.kind], `unattended renewal needs the user (${p.kind}); ask them to sign in`);
    },
    progress: () => {},
  };

  const runtime: AgentRuntime = {
    home,
    handlers,
    engineDeps: deps,
    startFlow,
    onEvent(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    async renewSilently(sha256Fingerprint, extra = {}, signal) {
      const req = { ...(await renewalRequest(sha256Fingerprint)), ...extra, unattended: true };
      return startFlow(req, unattendedFrontEnd, signal).done;
    },
    async pollPendingApprovals() {
      const out: { pending: PendingApproval; outcome: FlowOutcome }[] = [];
      for (const p of await pendingApprovals.list(home)) {
        const outcome = await startFlow(
          {
            provider: p.provider,
            service: p.service,
            format: p.format,
            csr: p.csr,
            unattended: true,
            credentials: p.userId ? { USERID: p.userId } : undefined,
          },
          unattendedFrontEnd,
        ).done;
        out.push({ pending: p, outcome });
      }
      return out;
    },
    async start() {
      if (options.scheduler === false || scheduler) return;
      // Renewal notices name the job (renewal:<fingerprint>); the popup's "Renew now" needs the fingerprint.
      const emitWithFingerprint: Emit = (channel, payload) => {
        if (channel === 'popup:open') {
          const p = payload as EventOf<'popup:open'>;
          const jobId = typeof p.data.jobId === 'string' ? p.data.jobId : '';
          if (jobId.startsWith('renewal:') && p.data.sha256Fingerprint === undefined) {
            return sink.emit('popup:open', { ...p, data: { ...p.data, sha256Fingerprint: jobId.slice('renewal:'.length) } });
          }
        }
        sink.emit(channel, payload);
      };
      const mail = options.mail ?? userMailIntegration((m) => log.info(m), options.mailUserHome);
      // Which mail clients got the signature is kept beside the scheduler's disclaimer state for the UI.
      const applyDisclaimer = mail
        ? async (change: DisclaimerChange) => {
            const report = await mail.applyDisclaimer(change);
            const clients = await readJsonFile<Record<string, string[]>>(disclaimerClientsFile, {});
            if (change.disclaimer) clients[change.email] = report.applied;
            else delete clients[change.email];
            await writeJsonAtomic(disclaimerClientsFile, clients);
            publishState();
          }
        : undefined;
      scheduler = new AgentScheduler({
        home,
        engine: deps,
        notifier: uiNotifier(emitWithFingerprint, publishState),
        log,
        ...(applyDisclaimer ? { applyDisclaimer } : {}),
        ...(options.schedulerStartupJitterMs !== undefined ? { startupJitterMs: options.schedulerStartupJitterMs } : {}),
      });
      await scheduler.start();
      publishState();
    },
    onSystemEvent(event) {
      scheduler?.recheck(event);
    },
    async stop() {
      for (const f of flows.values()) {
        f.abort.abort();
        f.waiting?.reject(new FlowCancelledError());
      }
      // Cancelled flows send eoc and publish flow:done, and a post-flow scheduler sync finishes its writes,
      // before the scheduler stops: nothing writes into the home after stop() resolves.
      while (background.size) await Promise.allSettled([...background]);
      await scheduler?.stop();
      scheduler = undefined;
    },
  };
  return runtime;
}

/**
 * Text of a disclaimer for the UI: the zip's signature.txt, else its sanitised HTML with every tag removed.
 * Always plain text (the renderer shows it as text); a zip that cannot be read says so instead.
 */
export function disclaimerPreview(zipBase64: string, maxChars = 2000): string {
  try {
    const content = parseDisclaimerZip(zipBase64);
    const text =
      content.text ??
      (content.html ?? '')
        .replace(/<(br|\/p|\/div|\/li)[^>]*>/gi, '\n')
        .replace(/<[^>]*>/g, '')
        .replace(/&nbsp;/g, ' ')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&');
    const trimmed = text.replace(/\n{3,}/g, '\n\n').trim();
    return trimmed.length > maxChars ? `${trimmed.slice(0, maxChars)}…` : trimmed;
  } catch (err) {
    return `(the disclaimer package cannot be shown: ${(err as Error).message})`;
  }
}
