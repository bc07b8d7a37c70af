/**
 * A certificate that is no longer the current one of its provider/service/user: one a newer enrollment replaced
 * (`replacedBy`; in no store any more) or a historical S/MIME certificate (kept with its key to read old mail,
 * never used to sign). The window lists these under "Previous certificates", and nothing renews them.
 */
export function isPreviousCertificate(c: { replacedBy?: string; historical?: boolean }): boolean {
  return !!c.replacedBy || !!c.historical;
}
