import { computeHwsigAsync, nativeProbes, type AsyncHwsigProbes, type HwsigPlatform } from '../hwsig/index';
import { processRunner, type CommandRunner } from '../system/command-runner';

export interface HwsigMachine {
  /** Agent home: macOS component 599 keeps its generated ID under it. */
  home: string;
  /** How Windows and macOS probes run their OS tools (default: real processes). */
  runner?: CommandRunner;
}

/**
 * The engine's HWSIG function: the formula evaluated over this machine's probes on every platform (Linux reads
 * files, Windows and macOS run their tools through the runner), or over injected probes so tests are
 * deterministic. Probes run lazily, once per computation, because the formula decides which are needed.
 */
export function createHwsigFunction(
  probes?: AsyncHwsigProbes,
  platform: HwsigPlatform = process.platform as HwsigPlatform,
  machine?: HwsigMachine,
): (formula: string) => Promise<string> {
  return async (formula) => {
    if (!probes && !machine)
      throw new Error('HWSIG: no probes and no agent home given; pass the home so the native probes can run');
    const p = probes ?? nativeProbes(platform, { runner: machine!.runner ?? processRunner, home: machine!.home });
    return computeHwsigAsync(formula, p, platform);
  };
}
