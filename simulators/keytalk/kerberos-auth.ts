import type { ServiceRef, SimContext } from './context';
import type { UserConfig } from './fixture';
import { validateKerberosTicket } from './kerberos';

/**
 * The user a kerberos-ticket proves (validated against the configured KDC and keytab), or why it proves none.
 * Without a configured KDC every ticket is refused, so callers fall back to their credentials.
 */
export async function kerberosUser(ctx: SimContext, ref: ServiceRef, ticket: string): Promise<UserConfig | string> {
  const cfg = ctx.fixture.server.kerberos;
  const record = (r: { principal?: string; user?: string; error?: string }) => {
    ctx.kerberosChecks.push({ time: new Date().toISOString(), ...r });
    return r.error ?? '';
  };
  if (!cfg) return record({ error: 'the simulator has no KDC configured (server.kerberos)' });
  const check = await validateKerberosTicket(ticket, cfg);
  if ('error' in check) return record({ error: check.error });
  const user =
    ref.provider.users.find((u) => u.kerberosPrincipal === check.principal) ??
    ref.provider.users.find((u) => !u.kerberosPrincipal && u.id === check.user);
  if (!user || (user.services && !user.services.includes(ref.service.name)))
    return record({ principal: check.principal, error: `no user of this service signs on as ${check.principal}` });
  record({ principal: check.principal, user: user.id });
  return user;
}
