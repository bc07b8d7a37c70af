import { randomBytes, X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { findService, findUser, type SimContext } from './context';
import { parseBool, parseJsonParam } from './http-util';
import { issueServerGenerated, packageCert, registerOob } from './issue';
import { ok, type Reply } from './reply';

const err = (error: string, status = 400): Reply => ({ status, json: { status: 'error', error } });

/** Self-Service API (section 5): POST /ssapi/<1.0.0|1.1.0|1.1.1>/smime-cert-enrollment, client certificate required. */
export async function handleSsapi(
  ctx: SimContext,
  req: IncomingMessage,
  parts: string[],
  p: Record<string, string>,
): Promise<Reply> {
  const all = ['1.0.0', '1.1.0', '1.1.1'];
  const versions = all.slice(0, all.indexOf(ctx.fixture.server.ssapiVersion) + 1);
  const v = parts[1] ?? '';
  if (!versions.includes(v) || parts[2] !== 'smime-cert-enrollment') return err('unknown Self-Service API path', 404);
  if (req.method !== 'POST') return { ...err('use POST', 405), headers: { allow: 'POST' } };
  const socket = req.socket as TLSSocket;
  const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  if (!socket.authorized || !peer?.raw) return err('a client certificate issued by this server is required', 401);
  const x = new X509Certificate(peer.raw);
  const rec = ctx.registry.bySha1(x.fingerprint.replace(/:/g, '').toLowerCase());
  if (!rec || rec.revoked) return err('client certificate unknown or revoked', 401);
  const user = findUser(ctx, undefined, rec.userId);
  if (!user?.selfService) return err(`${rec.userId} is not a self-service user`, 401);
  const service = findService(ctx, rec.service)?.service;
  const recipients = parseJsonParam<unknown>(p, 'recipients');
  if (!Array.isArray(recipients) || recipients.length === 0) return err('recipients must be a non-empty JSON array');
  const list: { email: string; mobile?: string }[] = [];
  for (const r of recipients) {
    if (
      !r ||
      typeof r !== 'object' ||
      typeof (r as { email?: unknown }).email !== 'string' ||
      !/^[^@\s]+@[^@\s]+$/.test((r as { email: string }).email)
    ) {
      return err('each recipient needs a valid "email"');
    }
    const mobile = (r as { mobile?: unknown }).mobile;
    if (mobile !== undefined && (typeof mobile !== 'string' || !/^\+?[0-9]{6,15}$/.test(mobile)))
      return err(`invalid mobile number for ${(r as { email: string }).email}`);
    list.push({ email: (r as { email: string }).email, ...(typeof mobile === 'string' ? { mobile } : {}) });
  }
  const synchronous = v === '1.0.0' ? true : p.synchronous === undefined ? true : parseBool(p.synchronous);
  const books = service?.cert.addressBooks;
  const bookFields =
    v === '1.1.1'
      ? {
          'apply-address-books': !!books?.length,
          'address-books': (books ?? []).map((b) => ({
            'ldap-svr-url': b.ldap_svr_url,
            'search-base': b.search_base,
            ...(b.verification_ca ? { 'verification-ca': b.verification_ca } : {}),
          })),
        }
      : {};
  if (!synchronous) {
    const placed = list.map((r) => ({ email: r.email, order_id: randomBytes(6).toString('hex') }));
    for (const o of placed)
      await ctx.outbox.send({
        to: o.email,
        subject: 'Your S/MIME certificate order',
        kind: 'smime-enrollment',
        body: `Order ${o.order_id} placed.`,
        data: { order: o.order_id },
      });
    return ok({
      status: 'smime-cert-enrollment',
      'placed-orders': placed,
      'failed-orders': [],
      'skipped-orders': [],
      ...bookFields,
    });
  }
  const enrolled: string[] = [];
  for (const r of list) {
    const issued = await issueServerGenerated(
      ctx,
      { cn: r.email, e: r.email },
      [`email:${r.email}`],
      service?.cert.lifetime ?? 365 * 86400,
    );
    const password = randomBytes(9).toString('base64url');
    const pkg = packageCert(ctx, issued, 'P12v2', password, true, r.email);
    const link = registerOob(ctx, pkg.raw, pkg.contentType).replace(
      '$(KEYTALK_SVR_HOST)',
      p['svr-host-name'] ?? new URL(ctx.urls.https).host,
    );
    await ctx.outbox.send({
      to: r.email,
      subject: 'Your S/MIME certificate',
      kind: 'smime-enrollment',
      body: `Download: ${link}`,
      data: { link, ...(r.mobile ? {} : { password }) },
    });
    if (r.mobile)
      await ctx.outbox.send({ to: r.mobile, subject: 'SMS', kind: 'notice', body: `Password: ${password}`, data: { password } });
    enrolled.push(r.email);
  }
  return ok({
    status: 'smime-cert-enrollment',
    'enrolled-recipients': enrolled,
    'failed-recipients': [],
    'skipped-recipients': [],
    ...bookFields,
  });
}
