/**
 * HWSIG component tables. IDs and meanings follow KeyTalk's public desktop clients (behaviour documented in
 * README.md beside this file); `fallback` is the value a component contributes when it cannot be read, so a
 * machine whose probe fails still produces a stable signature.
 */

export type HwsigPlatform = 'linux' | 'win32' | 'darwin';

export interface HwsigComponent {
  id: number;
  name: string;
  description: string;
  fallback: string;
}

/** Value of component 0 and of in-range IDs that name no component. */
export const PREDEFINED_VALUE = '000000000000';

const DEV_INST_ID = '000\\0000\\00000';

export const COMPONENTS: Record<HwsigPlatform, HwsigComponent[]> = {
  win32: [
    { id: 1, name: 'HddSerial', description: 'Serial number of the primary hard disk', fallback: '00000000000000' },
    { id: 2, name: 'NicMac', description: 'MAC address of the primary network adapter', fallback: '000000000000' },
    { id: 3, name: 'Hdd', description: 'Device instance IDs of fixed (IDE/SCSI) hard disks', fallback: DEV_INST_ID },
    { id: 4, name: 'Nic', description: 'Device instance IDs of PCI network adapters', fallback: DEV_INST_ID },
    { id: 5, name: 'Hdc', description: 'Device instance IDs of PCI IDE/ATA controllers', fallback: DEV_INST_ID },
    { id: 6, name: 'UsbHub', description: 'Device instance IDs of USB root hubs', fallback: DEV_INST_ID },
    { id: 7, name: 'DisplayAdapter', description: 'Device instance IDs of display adapters', fallback: DEV_INST_ID },
    { id: 8, name: 'Memory', description: 'Amount of physical memory in bytes', fallback: '0' },
    { id: 9, name: 'CPU', description: 'Device instance IDs of the processors', fallback: DEV_INST_ID },
    { id: 10, name: 'IC', description: 'Device instance ID of the interrupt controller', fallback: DEV_INST_ID },
    { id: 11, name: 'SysTimer', description: 'Device instance ID of the system timer', fallback: DEV_INST_ID },
    { id: 12, name: 'DMA', description: 'Device instance ID of the DMA controller', fallback: DEV_INST_ID },
    { id: 13, name: 'SysSpeaker', description: 'Device instance ID of the system speaker', fallback: DEV_INST_ID },
    { id: 14, name: 'OsProductId', description: 'Windows product ID', fallback: '00000-000-0000000-00000' },
    { id: 15, name: 'OsRegisteredOwner', description: 'Windows registered owner', fallback: 'Anonymous' },
    {
      id: 16,
      name: 'UserSID',
      description: 'Security identifier of the current user',
      fallback: 'S-0-0-00-0000000000-0000000000-0000000000-0000',
    },
    { id: 17, name: 'Serial', description: 'Serial number from the BIOS', fallback: '0000000' },
  ],
  darwin: [
    { id: 501, name: 'UDID', description: 'Unique device identifier (deprecated; always empty)', fallback: '' },
    {
      id: 502,
      name: 'BundleIdentifier',
      description: 'Application bundle identifier (always empty on the desktop)',
      fallback: '',
    },
    { id: 503, name: 'HardwareModel', description: 'Hardware model (sysctl hw.model)', fallback: '' },
    { id: 504, name: 'MacAddress', description: 'MAC address of the primary network interface', fallback: '000000000000' },
    { id: 505, name: 'CpuInformation', description: 'CPU brand string (sysctl machdep.cpu.brand_string)', fallback: '' },
    { id: 506, name: 'SerialNumber', description: 'Platform serial number', fallback: '' },
    { id: 599, name: 'Generated', description: 'Random ID generated once and kept by the agent', fallback: '' },
  ],
  linux: [
    { id: 601, name: 'HddSerial', description: 'Serial number of the primary disk', fallback: '00000000000000' },
    {
      id: 602,
      name: 'NicMac',
      description: 'MAC address of the first non-loopback, non-virtual network interface',
      fallback: '000000000000',
    },
    { id: 603, name: 'CPUArch', description: 'CPU architecture (uname -m)', fallback: '0000' },
    { id: 604, name: 'CPUModel', description: 'CPU model name from /proc/cpuinfo', fallback: '00000' },
    {
      id: 605,
      name: 'OsProductId',
      description: 'OS name and version from /etc/os-release',
      fallback: '00000-000-0000000-00000',
    },
    { id: 606, name: 'UserName', description: 'Name of the user running the agent', fallback: 'anonymous' },
    {
      id: 607,
      name: 'Serial',
      description: 'BIOS serial (DMI), else CPU serial (Raspberry Pi), else /etc/machine-id',
      fallback: '0000000',
    },
    {
      id: 608,
      name: 'SshPubKey',
      description: 'SSH2 host public keys ("type:base64" concatenated, sorted by file)',
      fallback: '000000',
    },
  ],
};

/** The ID range each client reserves: IDs inside it that name no component count as PREDEFINED_VALUE. */
export const ID_RANGES: Record<HwsigPlatform, [number, number]> = {
  win32: [1, 100],
  darwin: [501, 599],
  linux: [601, 700],
};
