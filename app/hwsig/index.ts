export { computeHwsig, hwsigComponentValues, parseHwsigFormula } from './hwsig';
export type { HwsigProbes, ParsedFormula } from './hwsig';
export { COMPONENTS, ID_RANGES, PREDEFINED_VALUE } from './components';
export type { HwsigComponent, HwsigPlatform } from './components';
export { linuxProbes, platformProbes } from './probes';
export type { LinuxProbeOptions } from './probes';
