import os from 'node:os';
import type { EngineDeps } from '../engine/enroll';
import { withSilentSession } from '../engine/silent-session';
import { enrollments } from '../engine/state';
import { FileStore } from '../stores/file-store';
import { processRunner, type CommandRunner } from '../system/command-runner';
import type { ScanSource } from './found';
import { runCertScraping, type ScanReport, type ScanTrigger, type ScrapingClient } from './scanner';
import { readScannerSettings, type ScannerLocalSettings } from './settings';
import { defaultSources } from './store-sources';

export interface ScanRequest {
  /** Provider and service to authenticate as; default: the most recent enrollment (of the provider). */
  provider?: string;
  service?: string;
  trigger: ScanTrigger;
  dryRun?: boolean;
  /** Override the machine's sources (tests). */
  sources?: ScanSource[];
  /** Override <home>/state/scanner-settings.json (tests, CLI flags). */
  local?: Partial<ScannerLocalSettings>;
  runner?: CommandRunner;
  userHome?: string;
  signal?: AbortSignal;
}

/** The sources of this machine for the agent's home and the user's scanner settings. */
export async function machineSources(
  engine: EngineDeps,
  local: ScannerLocalSettings,
  opts: { runner?: CommandRunner; userHome?: string } = {},
): Promise<ScanSource[]> {
  const stores = await engine.stores();
  return defaultSources({
    runner: opts.runner ?? processRunner,
    userHome: opts.userHome ?? os.homedir(),
    env: engine.env,
    fileStore: stores.find((s): s is FileStore => s instanceof FileStore),
    folders: local.folders,
    nssDbs: local.nssDbs,
    maxFileBytes: local.maxFileBytes,
  });
}

/**
 * For the scheduler and the engine: run cert scraping on a session that has just authenticated successfully
 * (the 'on-successful-authentication' schedule, and the first 'one-shot'). The server's settings decide whether
 * anything happens; the session is not ended here.
 */
export async function scrapeAfterAuthentication(
  client: ScrapingClient,
  engine: EngineDeps,
  target: { provider: string; service: string },
  opts: Omit<ScanRequest, 'provider' | 'service' | 'trigger'> & { trigger?: ScanTrigger } = {},
): Promise<ScanReport> {
  const local = { ...(await readScannerSettings(engine.home)), ...opts.local };
  const sources = opts.sources ?? (await machineSources(engine, local, opts));
  return runCertScraping({
    client,
    home: engine.home,
    target: `${target.provider}/${target.service}`,
    trigger: opts.trigger ?? 'authentication',
    sources,
    local,
    dryRun: opts.dryRun,
  });
}

/**
 * Open an RCDP session with remembered credentials (never a prompt, like a silent renewal), run cert scraping
 * and end the session. What `keytalk-agent scan` and a 'one-shot' at start-up call.
 */
export async function scanWithSilentSession(engine: EngineDeps, req: ScanRequest): Promise<ScanReport> {
  const { provider, service } = await pickTarget(engine.home, req.provider, req.service);
  return withSilentSession(engine, { provider, service, signal: req.signal, purpose: 'scanning' }, (client) =>
    scrapeAfterAuthentication(client, engine, { provider, service }, { ...req, trigger: req.trigger }),
  );
}

async function pickTarget(home: string, provider?: string, service?: string): Promise<{ provider: string; service: string }> {
  if (provider && service) return { provider, service };
  const all = (await enrollments.list(home))
    .filter((e) => !provider || e.provider === provider)
    .sort((a, b) => b.issuedAt.localeCompare(a.issuedAt));
  const latest = all[0];
  if (!latest) {
    throw new Error(
      provider
        ? `no certificate enrolled from ${provider} yet; name its service too, or enroll first`
        : 'no enrollment yet, so the agent does not know which KeyTalk server to scan for; enroll a certificate first',
    );
  }
  return { provider: latest.provider, service: latest.service };
}
