import dns from 'node:dns';
import net from 'node:net';
import type { DoctorCheck } from '../ipc/doctor-contract';
import { PublicApiClient } from '../public-api/client';
import type { ProviderRecord } from '../rccd/types';
import { RcdpClient } from '../rcdp/client';
import { RcdpServerError } from '../rcdp/errors';
import {
  captureCertificateOnError,
  checkKeytalkServerIdentity,
  createProviderAgent,
  explainTlsError,
  providerTrustAnchors,
} from '../tls/index';
import { probeTls } from './tls-probe';
import { coreText } from '../model/core-text';
import { said, saidOf, type Said } from './doctor-text';

export interface NetworkCheckOptions {
  /** Per step (DNS, connect, TLS, each request); a helpdesk check must answer in seconds, not hang on a dead route. */
  timeoutMs: number;
  /** This computer's clock (injected so tests can play a skewed one). */
  now: () => number;
  appVersion?: string;
}

/** Beyond this the clock is worth fixing even if the server still accepts it (KeyTalk's limit is configurable). */
export const SKEW_WARN_SECONDS = 60;

export type Check = Omit<DoctorCheck, 'scope'>;

function hostPort(server: string): { host: string; port: number } {
  const u = new URL(`https://${server}`);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 443) };
}

export function errText(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code && !String(e.message).includes(e.code) ? `${e.message} (${e.code})` : String(e.message ?? err);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} took longer than ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Where the user fixes a wrong server name or port: the RCCD for KeyTalk, the provider's URL for an Online CA. */
export interface ServerSource {
  nameHint: string;
  refusedHint: string;
  /** Which codes say the hints in the window's words (the CLI's hints name its commands). */
  onlineCa?: boolean;
}

const KEYTALK_SOURCE: ServerSource = {
  nameHint: "check the server name in the provider's RCCD",
  refusedHint: 'is the KeyTalk server running, and is the port in the RCCD right?',
};

/** A line whose coded twin has the same values as its English (a problem the OS or the server put in words). */
const problemLine = (code: Parameters<typeof said>[0], english: string, err: unknown): Said =>
  said(code, english, { problem: errText(err) });

export async function checkDns(
  host: string,
  o: NetworkCheckOptions,
  src: ServerSource = KEYTALK_SOURCE,
): Promise<Check & { address?: string }> {
  if (net.isIP(host))
    return {
      id: 'dns',
      status: 'pass',
      ...said('doctor.dns-ip', `${host} is an IP address (no lookup needed)`, { host }),
      address: host,
    };
  try {
    const all = await withTimeout(dns.promises.lookup(host, { all: true }), o.timeoutMs, `looking up ${host}`);
    const list = all.map((a) => a.address);
    return {
      id: 'dns',
      status: 'pass',
      ...said('doctor.dns-ok', `${host} resolves to ${list.join(', ')}`, { host, addresses: list.join(', ') }),
      address: list[0],
      data: { address: list[0]! },
    };
  } catch (err) {
    return {
      id: 'dns',
      status: 'fail',
      ...said(
        src.onlineCa ? 'doctor.dns-fail-onlineca' : 'doctor.dns-fail',
        `cannot resolve ${host}: ${errText(err)}; ${src.nameHint} and this computer's DNS or VPN`,
        { host, problem: errText(err) },
      ),
    };
  }
}

export function checkTcp(address: string, port: number, o: NetworkCheckOptions, src = KEYTALK_SOURCE): Promise<Check> {
  const started = o.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const done = (c: Check) => {
      socket.destroy();
      resolve(c);
    };
    socket.setTimeout(o.timeoutMs, () =>
      done({
        id: 'tcp',
        status: 'fail',
        ...said(
          'doctor.tcp-timeout',
          `no answer from ${address}:${port} within ${o.timeoutMs} ms; a firewall or proxy may drop the traffic`,
          { address, port, ms: o.timeoutMs },
        ),
      }),
    );
    socket.once('connect', () =>
      done({
        id: 'tcp',
        status: 'pass',
        ...said('doctor.tcp-ok', `connected to ${address}:${port}`, { address, port }),
        data: { ms: Math.max(0, o.now() - started) },
      }),
    );
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done({
        id: 'tcp',
        status: 'fail',
        ...(err.code === 'ECONNREFUSED'
          ? said(
              src.onlineCa ? 'doctor.tcp-refused-onlineca' : 'doctor.tcp-refused',
              `connection to ${address}:${port} refused: nothing listens there; ${src.refusedHint}`,
              { address, port },
            )
          : said('doctor.tcp-fail', `cannot connect to ${address}:${port}: ${errText(err)}`, {
              address,
              port,
              problem: errText(err),
            })),
      }),
    );
  });
}

/**
 * The same trust rule as every request the agent sends (app/tls): only the RCCD's SCA, serverAuth required. A
 * refusal is put in words by the TLS explanation module, so the helpdesk reads the same sentence as `enroll`.
 */
function checkTls(record: ProviderRecord, host: string, port: number, o: NetworkCheckOptions): Promise<Check> {
  let ca: string[];
  try {
    ca = providerTrustAnchors(record);
  } catch (err) {
    // Coded when the RCCD reader coded it; otherwise the window shows its English.
    return Promise.resolve({ id: 'tls', status: 'fail', ...saidOf(err) });
  }
  return probeTls(
    {
      host,
      port,
      trust: { ca, allowPartialTrustChain: true, checkServerIdentity: checkKeytalkServerIdentity },
      trustedBy: coreText('doctor.trusted-by-rccd', "the RCCD's server CA"),
      prepare: captureCertificateOnError,
      // The same coded sentence `enroll` shows (tls.*), so the window reads it in the user's language too.
      failure: (err) => saidOf(explainTlsError(err, host)),
    },
    o,
  );
}

/** hello + handshake (spec 2.5) with the negotiated version, then the skew between server-utc and this clock. */
async function checkRcdp(record: ProviderRecord, o: NetworkCheckOptions): Promise<Check[]> {
  const client = new RcdpClient({
    server: record.server,
    agent: createProviderAgent(record, { keepAlive: false }),
    timeoutMs: o.timeoutMs,
    connectTimeoutMs: o.timeoutMs,
    // One attempt: the doctor reports what happens now, it does not paper over a flaky server.
    retry: { retries: 0, baseMs: 0, maxMs: 0 },
    callerAppDescription: `KeyTalk Agent ${o.appVersion ?? ''} doctor`.trim(),
    now: o.now,
  });
  let version: string;
  try {
    version = await client.connect();
  } catch (err) {
    if (err instanceof RcdpServerError && err.code === 'time-out-of-sync') {
      return [
        {
          id: 'rcdp',
          status: 'fail',
          ...said('doctor.rcdp-clock-refused', 'the server refused the handshake because the clocks differ (error 1003)'),
        },
        {
          id: 'clock',
          status: 'fail',
          ...said('doctor.clock-refused', err.message),
          data: { serverSkewSeconds: Number(err.description ?? NaN) },
        },
      ];
    }
    return [
      { id: 'rcdp', status: 'fail', ...problemLine('doctor.rcdp-fail', `RCDP hello/handshake failed: ${errText(err)}`, err) },
      { id: 'clock', status: 'skip', ...said('doctor.skipped-no-handshake', 'not measured: no handshake') },
    ];
  }
  const localAt = o.now();
  await client.eoc('doctor');
  const checks: Check[] = [
    {
      id: 'rcdp',
      status: 'pass',
      ...said('doctor.rcdp-ok', `hello/handshake OK, protocol ${version}`, { version }),
      data: { version },
    },
  ];
  const server = client.serverUtc ? Date.parse(client.serverUtc) : NaN;
  if (Number.isNaN(server)) {
    checks.push({
      id: 'clock',
      status: 'skip',
      ...said('doctor.clock-no-utc', 'the server sent no usable server-utc in its handshake reply'),
    });
    return checks;
  }
  // server-utc has whole seconds; a difference below 2 s is that rounding plus the round trip, not skew.
  const skew = Math.round((localAt - server) / 1000);
  const words = `this computer's clock is ${Math.abs(skew)} s ${skew >= 0 ? 'ahead of' : 'behind'} the server's`;
  checks.push(
    Math.abs(skew) <= SKEW_WARN_SECONDS
      ? {
          id: 'clock',
          status: 'pass',
          ...said('doctor.clock-ok', `clock in sync with the server (${skew} s)`, { skew }),
          data: { skewSeconds: skew },
        }
      : {
          id: 'clock',
          status: 'warn',
          ...said(
            skew >= 0 ? 'doctor.clock-ahead' : 'doctor.clock-behind',
            `${words}; the server refuses sign-in past its limit: enable network time (NTP)`,
            { seconds: Math.abs(skew) },
          ),
          data: { skewSeconds: skew },
        },
  );
  return checks;
}

/** Public API 3.2.7 version and 3.2.12 health-check (200 operational, 521 with the server's details). */
async function checkPublicApi(record: ProviderRecord, o: NetworkCheckOptions): Promise<Check[]> {
  const api = new PublicApiClient({
    baseUrl: `https://${record.server}`,
    agent: createProviderAgent(record, { keepAlive: false }),
    timeoutMs: o.timeoutMs,
    connectTimeoutMs: o.timeoutMs,
  });
  const out: Check[] = [];
  try {
    const version = await api.version();
    out.push({
      id: 'public-api',
      status: 'pass',
      ...said('doctor.server-version', `KeyTalk server version ${version}`, { version }),
      data: { version },
    });
  } catch (err) {
    out.push({
      id: 'public-api',
      status: 'fail',
      ...problemLine('doctor.version-fail', `Public API version query failed: ${errText(err)}`, err),
    });
  }
  try {
    const h = await api.healthCheck();
    out.push(
      h.operational
        ? { id: 'health', status: 'pass', ...said('doctor.health-ok', 'the server reports itself operational') }
        : {
            id: 'health',
            status: 'fail',
            ...(h.error
              ? said('doctor.health-bad-says', `the server reports a problem: ${h.error}; tell the KeyTalk administrator`, {
                  problem: h.error,
                })
              : said('doctor.health-bad', 'the server reports a problem; tell the KeyTalk administrator')),
          },
    );
  } catch (err) {
    out.push({ id: 'health', status: 'fail', ...problemLine('doctor.health-fail', `health check failed: ${errText(err)}`, err) });
  }
  return out;
}

/**
 * Every network check of one provider, in the order a connection is built: a failed step skips the ones that
 * need it (with the reason), so the first failure in the list is the one to fix.
 */
export async function providerNetworkChecks(record: ProviderRecord, o: NetworkCheckOptions): Promise<DoctorCheck[]> {
  const { host, port } = hostPort(record.server);
  const out: Check[] = [];
  const skipRest = (after: string, ids: string[]) =>
    ids.forEach((id) =>
      out.push({ id, status: 'skip', ...said('doctor.skipped', `not checked: ${after} failed`, { step: after }) }),
    );
  const d = await checkDns(host, o);
  out.push({ id: d.id, status: d.status, summary: d.summary, summaryText: d.summaryText, ...(d.data ? { data: d.data } : {}) });
  if (!d.address) skipRest('DNS', ['tcp', 'tls', 'rcdp', 'clock', 'public-api', 'health']);
  else {
    const t = await checkTcp(d.address, port, o);
    out.push(t);
    if (t.status === 'fail') skipRest('TCP', ['tls', 'rcdp', 'clock', 'public-api', 'health']);
    else {
      const s = await checkTls(record, host, port, o);
      out.push(s);
      if (s.status === 'fail') skipRest('TLS', ['rcdp', 'clock', 'public-api', 'health']);
      else out.push(...(await checkRcdp(record, o)), ...(await checkPublicApi(record, o)));
    }
  }
  return out.map((c) => ({ ...c, scope: record.name }));
}
