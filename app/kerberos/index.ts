export { readKerberosTicket, locateCache, cacheFile, type KerberosTicketParam, type TicketLookup } from './ticket';
export { parseCcache, findTgt, principalName, CcacheFormatError, type CredentialCache, type CachedCredential } from './ccache';
