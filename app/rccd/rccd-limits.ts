/**
 * Size limits on what an RCCD may describe. The zip guard (zip-guard.ts) already bounds the archive and each
 * entry (8 MiB), but a legal 8 MiB YAML can still list hundreds of thousands of services, and parsing and storing
 * that costs close to a gigabyte of memory. Real RCCDs are a few KiB with a handful of services, so these caps are
 * far above any genuine provider and far below what hurts the agent. Exceeding one is a RccdLimitError (a kind of
 * RccdFormatError) that names the limit.
 */
export const RCCD_LIMITS = {
  /** index.yaml / index.conf / content.*.signed / user.yaml / user.ini, each, in bytes (checked before parsing). */
  configBytes: 1024 * 1024,
  /** Entries in the user configuration's Providers list. */
  providers: 100,
  /** Services of the imported provider. */
  services: 1000,
  /** Characters in a provider or service name. */
  nameChars: 256,
  /** The provider.json the import writes (the logo, at most 1 MiB, is the largest part). */
  providerJsonBytes: 4 * 1024 * 1024,
} as const;
