import type { SimContext } from './context';
import type { CertificateAuthority } from '../pki/index';
import type { Reply } from './reply';

const notFound = (why: string): Reply => ({ status: 404, raw: `${why}\n`, contentType: 'text/plain' });

/**
 * CA API: /ca/1.0.3/{signing,primary,communication,root,extrasigning}[/<sha1>][?PEM|DER], /ca/1.0.3/<sha1>, and the
 * older 1.0.0 form (signing, primary, root; PEM only).
 */
export function handleCa(ctx: SimContext, parts: string[], search: URLSearchParams): Reply {
  const version = parts[1];
  const known = ['1.0.0', '1.0.1', '1.0.2', '1.0.3'];
  if (!version || !known.includes(version))
    return notFound(`CA API version "${version ?? ''}" does not exist (${known.join(', ')})`);
  const v = known.indexOf(version);
  const byName: Record<string, CertificateAuthority[]> = {
    signing: [ctx.pki.signing],
    primary: [ctx.pki.primary],
    root: [ctx.pki.root],
    ...(v >= 1 ? { communication: [ctx.pki.communication] } : {}),
    ...(v >= 2 ? { extrasigning: [ctx.pki.extrasigning] } : {}),
  };
  const wantDer = v >= 1 && search.has('DER');
  const kind = parts[2];
  const fp = parts[3]?.toLowerCase();
  let cas: CertificateAuthority[];
  if (kind && byName[kind]) {
    cas = byName[kind]!;
    if (fp !== undefined) {
      if (v < 1) return notFound('fingerprints need CA API 1.0.1 or later');
      cas = cas.filter((c) => c.sha1 === fp);
    }
  } else if (kind && /^[0-9a-f]{40}$/i.test(kind) && v >= 3) {
    const all = [ctx.pki.signing, ctx.pki.primary, ctx.pki.root, ctx.pki.communication, ctx.pki.extrasigning];
    cas = all.filter((c) => c.sha1 === kind.toLowerCase());
  } else {
    return notFound(`CA "${kind ?? ''}" does not exist`);
  }
  if (!cas.length) return notFound('no CA with this fingerprint');
  if (wantDer) {
    if (kind === 'extrasigning' && cas.length > 1) return notFound('DER holds one certificate; ask for PEM');
    return { status: 200, raw: cas[0]!.certDer, contentType: 'application/octet-stream' };
  }
  return { status: 200, raw: cas.map((c) => c.certPem).join(''), contentType: 'application/octet-stream' };
}

/** One-shot out-of-band download: /cert/?<token>. */
export function handleOob(ctx: SimContext, search: string): Reply {
  const token = search.replace(/^\?/, '').split('&')[0] ?? '';
  const item = ctx.oob.get(token);
  if (!item) return notFound('download link unknown or already used');
  ctx.oob.delete(token);
  if (item.expires < Date.now()) return notFound('download link expired');
  return { status: 200, raw: item.body, contentType: item.contentType };
}
