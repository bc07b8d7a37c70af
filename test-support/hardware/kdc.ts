import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort, missingTool, run, startDaemon, stopDaemon } from './tools';

/** A real MIT Kerberos KDC on loopback with its database, config and caches in one temp folder. */
export interface TestKdc {
  realm: string;
  dir: string;
  /** The krb5.conf clients use (KRB5_CONFIG). */
  krb5Conf: string;
  /** KRB5_CONFIG (and the KDC profile) for any tool run against this realm. */
  env: Record<string, string>;
  addUser(name: string, password: string): Promise<string>;
  /** A service principal with a random key, exported to a new keytab; returns the keytab path. */
  addService(principal: string): Promise<string>;
  /** kinit into a new FILE cache; returns its path. `lifetime` as kinit -l (e.g. "10s"). */
  kinit(user: string, password: string, opts?: { lifetime?: string }): Promise<string>;
  stop(): Promise<void>;
}

export const KDC_TOOLS = ['krb5kdc', 'kdb5_util', 'kadmin.local', 'kinit', 'kvno', 'klist'];

/** Why a KDC cannot run here, or undefined when it can. */
export async function kdcUnavailable(): Promise<string | undefined> {
  const tool = await missingTool(KDC_TOOLS);
  return tool ? `${tool} is not installed (apt-get install krb5-kdc krb5-admin-server krb5-user)` : undefined;
}

const SBIN = `${process.env.PATH}:/usr/sbin:/sbin`;

export async function startKdc(realm = 'KEYTALK.TEST'): Promise<TestKdc> {
  const dir = await mkdtemp(join(tmpdir(), 'kdc-'));
  let child: ChildProcess | undefined;
  try {
    const port = await freePort();
    const krb5Conf = join(dir, 'krb5.conf');
    const kdcConf = join(dir, 'kdc.conf');
    // TCP only (udp_preference_limit 1): one port to pick, no datagram races.
    await writeFile(
      krb5Conf,
      `[libdefaults]\n default_realm = ${realm}\n dns_lookup_realm = false\n dns_lookup_kdc = false\n rdns = false\n` +
        ` udp_preference_limit = 1\n[realms]\n ${realm} = {\n  kdc = 127.0.0.1:${port}\n }\n`,
    );
    await writeFile(
      kdcConf,
      `[kdcdefaults]\n kdc_listen = 127.0.0.1:${port}\n kdc_tcp_listen = 127.0.0.1:${port}\n[realms]\n ${realm} = {\n` +
        `  database_name = ${join(dir, 'principal')}\n  key_stash_file = ${join(dir, 'stash')}\n` +
        `  acl_file = ${join(dir, 'kadm5.acl')}\n  max_life = 10h\n }\n[logging]\n kdc = FILE:${join(dir, 'kdc.log')}\n`,
    );
    const env = { KRB5_CONFIG: krb5Conf, KRB5_KDC_PROFILE: kdcConf, PATH: SBIN };
    await run('kdb5_util', ['create', '-s', '-r', realm, '-P', `master-${Math.random()}`], { env });
    const kadmin = (q: string) => run('kadmin.local', ['-r', realm, '-q', q], { env });
    // A throw-away principal proves the KDC answers before any test uses it.
    await kadmin('addprinc -pw probe probe');
    const probeCache = join(dir, 'probe.cc');
    child = await startDaemon('krb5kdc', ['-n', '-r', realm], env, () =>
      run('kinit', ['-c', `FILE:${probeCache}`, 'probe'], { env, input: 'probe\n' }),
    );
    const proc = child;
    let caches = 0;
    return {
      realm,
      dir,
      krb5Conf,
      env: { KRB5_CONFIG: krb5Conf },
      async addUser(name, password) {
        await kadmin(`addprinc -pw ${password} ${name}`);
        return `${name}@${realm}`;
      },
      async addService(principal) {
        const keytab = join(dir, `${principal.replace(/[^A-Za-z0-9]+/g, '_')}.keytab`);
        await kadmin(`addprinc -randkey ${principal}`);
        await kadmin(`ktadd -k ${keytab} ${principal}`);
        return keytab;
      },
      async kinit(user, password, opts) {
        const cache = join(dir, `cc-${++caches}`);
        await run('kinit', ['-c', `FILE:${cache}`, ...(opts?.lifetime ? ['-l', opts.lifetime] : []), user], {
          env,
          input: `${password}\n`,
        });
        return cache;
      },
      async stop() {
        await stopDaemon(proc);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    if (child) await stopDaemon(child);
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
