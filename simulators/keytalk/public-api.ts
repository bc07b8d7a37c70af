import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import JSZip from 'jszip';
import { findService, findUser, userRuntime, type SimContext } from './context';
import { parseJsonParam } from './http-util';
import { ok, type Reply } from './reply';
import { atLeast, compareVersions, parseVersion, PUBLIC_FEATURES } from './versions';

const err = (error: string, status = 400): Reply => ({ status, json: { status: 'error', error } });

export interface PublicDeps {
  /** provider name → RCCD file, and uid → provider name. */
  rccds: Record<string, string>;
  rccdUids: Record<string, string>;
}

function certFromParam(ctx: SimContext, pem: string | undefined): { x: X509Certificate } | Reply {
  if (!pem) return err('parameter "cert" is required');
  try {
    return { x: new X509Certificate(pem) };
  } catch {
    return err('cert is not a PEM X.509 certificate');
  }
}

/** Section 3 Public API (1.0.0 … 1.6.9), versioned and versionless paths. */
export async function handlePublic(
  ctx: SimContext,
  method: string,
  parts: string[],
  p: Record<string, string>,
  deps: PublicDeps,
): Promise<Reply> {
  const max = ctx.fixture.server.publicApiVersion;
  let version = max;
  let action = parts[1];
  if (parts.length === 3) {
    if (!parseVersion(parts[1]!)) return err(`"${parts[1]}" is not a Public API version`, 404);
    version = parts[1]!;
    action = parts[2];
    if (compareVersions(version, max) > 0) return err(`Public API ${version} is not supported (max ${max})`, 404);
  } else if (parts.length !== 2) {
    return err('unknown Public API path', 404);
  } else if (!ctx.fixture.server.publicApiVersionless) {
    return err('unknown Public API path (this server needs /public/<version>/…)', 404);
  }
  const since = (v: string) => atLeast(version, v);
  const needService = () => {
    const ref = findService(ctx, p.service ?? p['template-name']);
    return ref ?? err(`unknown or missing service "${p.service ?? p['template-name'] ?? ''}"`);
  };
  const wantMethod = (m: string): Reply | null =>
    method === m ? null : { ...err(`use ${m} for ${action}`, 405), headers: { allow: m } };
  switch (action) {
    case 'version':
      return ok({ status: 'version', version: ctx.fixture.server.version });
    case 'health-check':
      return ctx.healthy
        ? ok({ status: 'health-check', 'check-result': 'operational' })
        : { status: 521, json: { status: 'health-check', 'check-result': 'error', error: 'simulated outage' } };
    case 'self-service-availability': {
      const bad = wantMethod('POST');
      if (bad) return bad;
      const c = certFromParam(ctx, p.cert);
      if ('status' in c) return c;
      const rec = ctx.registry.bySha1(fingerprint(c.x));
      const user = rec ? findUser(ctx, undefined, rec.userId) : undefined;
      return ok({ status: 'self-service-availability', available: !!user?.selfService && !rec?.revoked });
    }
    case 'smime-cert-enrollment-availability': {
      const bad = wantMethod('POST');
      if (bad) return bad;
      const c = certFromParam(ctx, p.cert);
      if ('status' in c) return c;
      const rec = ctx.registry.bySha1(fingerprint(c.x));
      if (!rec) return err('certificate was not issued by this server');
      if (!(c.x.subjectAltName ?? '').includes('email:')) return err('certificate is not an S/MIME certificate');
      const svc = findService(ctx, rec.service)?.service;
      const user = findUser(ctx, undefined, rec.userId);
      const conf = svc?.cert.smimeEnrollment;
      if (!user?.selfService || !conf?.available) {
        return ok({
          status: 'smime-cert-enrollment-availability',
          available: false,
          reason: conf?.reason ?? 'user is not a self-service user',
        });
      }
      return ok({ status: 'smime-cert-enrollment-availability', available: true, 'mobile-required': conf.mobileRequired });
    }
    case 'address-book-list': {
      const ref = needService();
      if ('status' in ref) return ref;
      const books = ref.service.cert.addressBooks;
      return ok({
        status: 'address-book-list',
        'apply-address-books': !!books?.length,
        'address-books': books?.length ? books : '',
      });
    }
    case 'should-cert-go-to-system-store': {
      const ref = needService();
      if ('status' in ref) return ref;
      return ok({ status: 'should-cert-go-to-system-store', 'system-store': ref.service.cert.storeToSystem });
    }
    case 'set-disclaimer-for-smime-cert-email': {
      const ref = needService();
      if ('status' in ref) return ref;
      if (!p.email) return err('parameter "email" is required');
      const d = ref.service.cert.disclaimer;
      if (!d) return ok({ status: 'set-disclaimer-for-smime-cert-email', 'set-disclaimer': false });
      const zip = new JSZip();
      zip.file('signature.htm', `<p>${d.text.replace(/</g, '&lt;')}</p>`);
      zip.file('signature.txt', d.text);
      const b64 = (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64');
      return ok({
        status: 'set-disclaimer-for-smime-cert-email',
        'set-disclaimer': true,
        disclaimer: { name: d.name, zip: b64, 'check-interval': d.checkInterval },
      });
    }
    case 'cert-approver-emails': {
      const ref = needService();
      if ('status' in ref) return ref;
      if (!p.user || !p['computer-name']) return err('parameters "user" and "computer-name" are required');
      const emails = ref.service.cert.approverEmails;
      if (!emails?.length) return err(`service "${ref.service.name}" does not use approver e-mails`);
      return ok({ status: 'cert-approver-emails', emails });
    }
    case 'cn-customization-policy': {
      const ref = needService();
      if ('status' in ref) return ref;
      if (!p.user || !p['computer-name']) return err('parameters "user" and "computer-name" are required');
      if (!findUser(ctx, ref.provider, p.user)) return err(`user "${p.user}" does not exist for service "${ref.service.name}"`);
      return ok({ status: 'cn-customization-policy', policy: ref.service.cert.cnCustomizationPolicy });
    }
    case 'templates-to-auto-renew-seat-certs': {
      const bad = wantMethod('POST');
      if (bad) return bad;
      const names = parseJsonParam<unknown>(p, 'template-names');
      if (!Array.isArray(names)) return err('template-names must be a JSON array of template names');
      const out = names.filter(
        (n): n is string => typeof n === 'string' && !!findService(ctx, n)?.service.cert.autoRenewSeatCerts,
      );
      return ok({ status: 'templates-to-auto-renew-seat-certs', 'template-names': out });
    }
    case 'cert-expiration-margin': {
      const ref = needService();
      if ('status' in ref) return ref;
      return ok({ status: 'cert-expiration-margin', 'threshold-seconds': ref.service.cert.certExpirationMargin });
    }
    case 'rccd': {
      const provider = p.uid ? deps.rccdUids[p.uid] : undefined;
      const file = provider ? deps.rccds[provider] : undefined;
      if (!file) return err(`RCCD with uid "${p.uid ?? ''}" does not exist`);
      return { status: 200, raw: await fs.readFile(file), contentType: 'application/octet-stream' };
    }
    case 'ktagent-unattended-popup-msg-template':
      if (!since(PUBLIC_FEATURES.unattendedPopup)) return err(`not in Public API ${version}`, 404);
      return ok({
        status: 'ktagent-unattended-popup-msg-template',
        'msg-template': ctx.fixture.server.unattendedPopupMsgTemplate,
      });
    case 'keep-alive-interval': {
      if (!since(PUBLIC_FEATURES.keepAlive)) return err(`not in Public API ${version}`, 404);
      const ref = needService();
      if ('status' in ref) return ref;
      return ok({ status: 'keep-alive-interval', interval: ref.service.cert.keepAliveInterval });
    }
    case 'i-am-alive': {
      if (!since(PUBLIC_FEATURES.keepAlive)) return err(`not in Public API ${version}`, 404);
      const bad = wantMethod('POST');
      if (bad) return bad;
      const ref = needService();
      if ('status' in ref) return ref;
      if (!p.user || !p['computer-name']) return err('parameters "user" and "computer-name" are required');
      const user = findUser(ctx, ref.provider, p.user);
      if (!user) return err(`user "${p.user}" does not exist`);
      userRuntime(ctx, user).keepAlive = new Date().toISOString();
      return ok({
        status: 'success',
        ...(since(PUBLIC_FEATURES.aliveInterval) ? { interval: ref.service.cert.keepAliveInterval } : {}),
      });
    }
    case 'is-cert-tpm-attested': {
      if (!since(PUBLIC_FEATURES.tpmAttested)) return err(`not in Public API ${version}`, 404);
      const fp = p['cert-sha1-fingerprint'];
      if (!fp) return err('parameter "cert-sha1-fingerprint" is required');
      const rec = ctx.registry.bySha1(fp);
      if (!rec) return err('no seat certificate with this fingerprint');
      // The spec's example names the key "status" twice; the answer is the second one.
      return ok({ status: rec.tpmAttested ? 'yes' : 'no' });
    }
    default:
      return err(`unknown Public API action "${action ?? ''}"`, 404);
  }
}

function fingerprint(x: X509Certificate): string {
  return x.fingerprint.replace(/:/g, '').toLowerCase();
}
