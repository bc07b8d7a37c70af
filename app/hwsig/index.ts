export { computeHwsig, computeHwsigAsync, hwsigComponentValues, parseHwsigFormula } from './hwsig';
export type { AsyncHwsigProbes, HwsigProbes, ParsedFormula } from './hwsig';
export { COMPONENTS, ID_RANGES, PREDEFINED_VALUE } from './components';
export type { HwsigComponent, HwsigPlatform } from './components';
export { linuxProbes, platformProbes, primaryMacAddress } from './probes';
export type { LinuxProbeOptions } from './probes';
export { macosProbes, nativeProbes, windowsProbes } from './native-probes';
export type { NativeProbeOptions } from './native-probes';
