/**
 * The TPM's PKCS#11 module (tpm2-pkcs11) for tests: what must be installed, and a resource manager in front of swtpm.
 *
 * tpm2_ptool and the module leave transient objects loaded after each step; a desktop's kernel resource manager
 * (/dev/tpmrm0) flushes them per connection, swtpm alone has three object slots and runs out in `addtoken`. So the
 * tests put tpm2-abrmd (the user-space resource manager) in front of swtpm, on a private D-Bus of their own: the
 * system and the user's session bus are never touched.
 */
import { existsSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { missingTool, run, startDaemon, stopDaemon } from './tools';

/** Where Debian's libtpm2-pkcs11-1 puts the module (the agent's default, app/tpm/tpm2-pkcs11.ts). */
export const TPM2_PKCS11_MODULE = `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/pkcs11/libtpm2_pkcs11.so`;

export const TPM2_PKCS11_TOOLS = ['tpm2_ptool', 'tpm2-abrmd', 'dbus-daemon', 'pkcs11-tool', 'modutil'];

/** Why the PKCS#11 tests cannot run here (a missing package), or undefined when they can. */
export async function tpm2Pkcs11Unavailable(): Promise<string | undefined> {
  if (!existsSync(TPM2_PKCS11_MODULE)) return `${TPM2_PKCS11_MODULE} is missing (apt-get install libtpm2-pkcs11-1)`;
  const tool = await missingTool(TPM2_PKCS11_TOOLS);
  if (!tool) return undefined;
  const pkg: Record<string, string> = {
    tpm2_ptool: 'libtpm2-pkcs11-tools',
    'tpm2-abrmd': 'tpm2-abrmd',
    'dbus-daemon': 'dbus',
    'pkcs11-tool': 'opensc',
    modutil: 'libnss3-tools',
  };
  return `${tool} is not installed (apt-get install ${pkg[tool] ?? tool})`;
}

export interface ResourceManager {
  /** TCTI of the resource manager (tpm2-tools, tpm2-openssl and tpm2-pkcs11 all take it). */
  tcti: string;
  /** DBUS_SESSION_BUS_ADDRESS of the private bus: every client of `tcti` needs it. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** A private D-Bus daemon in `dir` and tpm2-abrmd on it, talking to the TPM at `swtpmTcti`. */
export async function startResourceManager(dir: string, swtpmTcti: string): Promise<ResourceManager> {
  const socket = join(dir, 'dbus.sock');
  const busEnv = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}` };
  const busName = `com.intel.tss2.Tabrmd.kt${process.pid}x${Date.now() % 100000}`;
  const tcti = `tabrmd:bus_type=session,bus_name=${busName}`;
  const started: ChildProcess[] = [];
  try {
    started.push(
      await startDaemon('dbus-daemon', ['--session', '--nofork', '--nopidfile', `--address=unix:path=${socket}`], {}, () =>
        existsSync(socket) ? Promise.resolve() : Promise.reject(new Error('no bus socket yet')),
      ),
    );
    const root = process.getuid?.() === 0 ? ['--allow-root'] : [];
    started.push(
      await startDaemon(
        // Debian puts it in /usr/sbin, which a user's PATH may lack.
        existsSync('/usr/sbin/tpm2-abrmd') ? '/usr/sbin/tpm2-abrmd' : 'tpm2-abrmd',
        ['--session', `--dbus-name=${busName}`, `--tcti=${swtpmTcti}`, '--flush-all', ...root],
        { ...busEnv, TSS2_LOG: 'all+NONE' },
        () => run('tpm2_getcap', ['properties-fixed'], { env: { ...busEnv, TPM2TOOLS_TCTI: tcti, TSS2_LOG: 'all+NONE' } }),
      ),
    );
  } catch (e) {
    for (const p of started.reverse()) await stopDaemon(p);
    throw e;
  }
  return {
    tcti,
    env: busEnv,
    async stop() {
      for (const p of started.reverse()) await stopDaemon(p);
    },
  };
}
