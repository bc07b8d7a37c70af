/**
 * The spec's kerberos-ticket object (RCDP 2.6.3 authentication, "kerberos-ticket"): the user's ticket-granting
 * ticket with its session key, as the caller's credential cache (Linux) or the LSA (Windows) holds it.
 */
export interface KerberosTicketParam extends Record<string, string> {
  'client-principal': string;
  'session-key': string;
  'session-key-encoding': string;
  tgt: string;
  'tgt-flags': string;
  'start-time': string;
  'end-time': string;
  'renew-till': string;
}

export type TicketLookup = { ticket: KerberosTicketParam; cache: string } | { reason: string };
