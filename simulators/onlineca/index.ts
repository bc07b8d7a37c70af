import { X509Certificate } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadOrCreateCa } from './ca';
import { createControlServer } from './control';
import { loadFixture, type Faults, type User } from './fixture';
import { RequestLog, type RequestLogEntry } from './request-log';
import { CERTIFICATE_PATH, createOnlineCaServer, TRUST_ROOTS_PATH, type SimState } from './server';
import { trustRootFiles } from './trust-roots';

export { TRUST_ROOTS_PATH, CERTIFICATE_PATH };
export type { Faults, User, RequestLogEntry };

export interface OnlineCaSimulatorOptions {
  /** YAML file path, or the fixture object itself. */
  fixture: string | Record<string, unknown>;
  /** Keeps the CA (ca.json) and the request log (requests.jsonl) across restarts. */
  stateDir: string;
  /** HTTPS port on 127.0.0.1; random when absent. */
  port?: number;
  /** Control endpoint port on 127.0.0.1; random when absent. */
  controlPort?: number;
}

export interface OnlineCaSimulator {
  /** Service base URL, e.g. https://127.0.0.1:PORT/onlineca/ */
  url: string;
  trustRootsUrl: string;
  certificateUrl: string;
  /** Control endpoint base URL (http://127.0.0.1:PORT). */
  control: string;
  /** SHA-256 (upper-case hex, no separators) of the CA certificates served as trust roots. */
  caFingerprints: { root: string; issuing: string };
  rootCertPem: string;
  issuingCertPem: string;
  /** PEM file with the root and issuing CA: what a client that skips the bootstrap would trust. */
  caFile: string;
  /** JSON Lines request log. */
  requestLog: string;
  /** In-process shortcuts for what the control endpoint does. */
  setFaults(patch: Partial<Faults>): void;
  resetFaults(): void;
  setUser(user: User): void;
  requests(): RequestLogEntry[];
  stop(): Promise<void>;
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

const fingerprint = (pem: string): string => new X509Certificate(pem).fingerprint256.replace(/:/g, '');

export async function startOnlineCaSimulator(options: OnlineCaSimulatorOptions): Promise<OnlineCaSimulator> {
  const fixture = await loadFixture(options.fixture);
  const material = await loadOrCreateCa(options.stateDir, fixture.caName);
  const state: SimState = {
    fixture,
    faults: { ...fixture.faults },
    users: new Map(fixture.users.map((u) => [u.username, u])),
  };
  const log = new RequestLog(path.join(options.stateDir, 'requests.jsonl'));
  const caFile = path.join(options.stateDir, 'tls-trust.pem');
  await writeFile(caFile, material.rootCertPem + material.issuingCertPem);
  const server = createOnlineCaServer({ material, trustRoots: trustRootFiles(material), state, log });
  const control = createControlServer(state, log);
  const port = await listen(server, options.port ?? 0);
  const controlPort = await listen(control, options.controlPort ?? 0);
  const base = `https://127.0.0.1:${port}`;
  const close = (s: http.Server): Promise<void> =>
    new Promise((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  return {
    url: `${base}/onlineca/`,
    trustRootsUrl: `${base}${TRUST_ROOTS_PATH}`,
    certificateUrl: `${base}${CERTIFICATE_PATH}`,
    control: `http://127.0.0.1:${controlPort}`,
    caFingerprints: { root: fingerprint(material.rootCertPem), issuing: fingerprint(material.issuingCertPem) },
    rootCertPem: material.rootCertPem,
    issuingCertPem: material.issuingCertPem,
    caFile,
    requestLog: log.file,
    setFaults(patch) {
      state.faults = { ...state.faults, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    },
    resetFaults() {
      state.faults = { ...fixture.faults };
    },
    setUser(user) {
      state.users.set(user.username, user);
    },
    requests: () => [...log.entries],
    async stop() {
      await Promise.all([close(server), close(control)]);
    },
  };
}
