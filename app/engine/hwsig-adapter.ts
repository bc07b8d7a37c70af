import { computeHwsig, platformProbes, type HwsigPlatform, type HwsigProbes } from '../hwsig/index';

/**
 * The engine's HWSIG function: the formula evaluated over this machine's probes (or injected ones, so tests
 * are deterministic). Probes are read lazily, once per computation, because the formula decides which run.
 */
export function createHwsigFunction(probes?: HwsigProbes, platform: HwsigPlatform = process.platform as HwsigPlatform): (formula: string) => Promise<string> {
  return async (formula) => computeHwsig(formula, probes ?? platformProbes(platform), platform);
}
