import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort, missingTool, run, startDaemon, stopDaemon } from './tools';
import { startResourceManager, type ResourceManager } from './tpm2-pkcs11';

/** A software TPM 2.0 (swtpm) on loopback in a temp folder, already started up (TPM2_Startup CLEAR). */
export interface SwTpm {
  /** TCTI string for tpm2-tools (TPM2TOOLS_TCTI) and the tpm2-openssl provider (TPM2OPENSSL_TCTI). */
  tcti: string;
  /**
   * Environment that points tpm2-tools, tpm2-openssl and (with a resource manager) tpm2-pkcs11 (`TPM2_PKCS11_TCTI`)
   * at this TPM.
   */
  env: Record<string, string>;
  dir: string;
  /** Runs a tpm2-tools command against this TPM (transient objects flushed afterwards: swtpm has no resource manager). */
  tpm2(tool: string, args: string[], input?: string): Promise<string>;
  stop(): Promise<void>;
}

export const SWTPM_TOOLS = ['swtpm', 'tpm2_startup', 'tpm2_createprimary', 'tpm2_createek', 'tpm2_getcap', 'openssl'];

/** Why a software TPM cannot run here (a missing tool or provider), or undefined when it can. */
export async function swtpmUnavailable(): Promise<string | undefined> {
  const tool = await missingTool(SWTPM_TOOLS);
  if (tool) return `${tool} is not installed (apt-get install swtpm swtpm-tools tpm2-tools tpm2-openssl)`;
  const providers = await run('openssl', ['list', '-providers', '-provider', 'tpm2'], { env: { TPM2OPENSSL_TCTI: 'none' } })
    .then((r) => r.stdout)
    .catch((e: Error) => e.message);
  if (!/tpm2/i.test(providers)) return 'the tpm2-openssl provider is not installed (apt-get install tpm2-openssl)';
  return undefined;
}

/**
 * `resourceManager`: put tpm2-abrmd (on a private D-Bus) in front of swtpm and point every TCTI at it, as a desktop's
 * /dev/tpmrm0 would be; needed by tpm2-pkcs11 (tpm2-pkcs11.ts), harmless for everything else.
 */
export async function startSwtpm(opts: { resourceManager?: boolean } = {}): Promise<SwTpm> {
  const dir = await mkdtemp(join(tmpdir(), 'swtpm-'));
  let child: ChildProcess | undefined;
  let rm2: ResourceManager | undefined;
  try {
    const port = await freePort(true);
    const direct = `swtpm:host=127.0.0.1,port=${port}`;
    let tcti = direct;
    let env: Record<string, string> = { TPM2TOOLS_TCTI: tcti, TPM2OPENSSL_TCTI: tcti, TSS2_LOG: 'all+NONE' };
    child = await startDaemon(
      'swtpm',
      [
        'socket',
        '--tpm2',
        '--server',
        `type=tcp,port=${port},bindaddr=127.0.0.1`,
        '--ctrl',
        `type=tcp,port=${port + 1},bindaddr=127.0.0.1`,
        '--tpmstate',
        `dir=${dir}`,
        '--flags',
        'not-need-init,startup-clear',
      ],
      {},
      () => run('tpm2_getcap', ['properties-fixed'], { env }),
    );
    if (opts.resourceManager) {
      rm2 = await startResourceManager(dir, direct);
      tcti = rm2.tcti;
      env = { ...rm2.env, TPM2TOOLS_TCTI: tcti, TPM2OPENSSL_TCTI: tcti, TPM2_PKCS11_TCTI: tcti, TSS2_LOG: 'all+NONE' };
    }
    const proc = child;
    const manager = rm2;
    return {
      tcti,
      env,
      dir,
      async tpm2(tool, args, input) {
        try {
          return (await run(tool, args, { env, input, cwd: dir })).stdout;
        } finally {
          await run('tpm2_flushcontext', ['-t'], { env }).catch(() => undefined);
        }
      },
      async stop() {
        await manager?.stop();
        await stopDaemon(proc);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm2?.stop();
    if (child) await stopDaemon(child);
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
