import { certMatchesKey, describeCertificate, splitPemBlocks } from '../crypto/cert-info';
import { coreText, withText } from '../model/core-text';
import { buildCsr, type CsrSubject } from '../crypto/csr';
import { generateRsaKeyPair } from '../crypto/keys';
import { parsePkcs12 } from '../crypto/p12-read';
import { decryptPrivateKeyPem } from '../crypto/private-key';
import type { RcdpClient } from '../rcdp/client';
import { RcdpHttpError } from '../rcdp/errors';
import { rcdpJson } from '../rcdp/json-param';
import type { CertIssued, CsrRequirementsReply } from '../rcdp/schemas';
import type { CertificateBundle } from '../stores/store';
import type { FlowProgress, StepDetail } from '../model/flow-types';
import { expectAnswer, FlowFailure, type FlowFrontEnd } from './front-end';
import type { CertExtras } from './state';
import { tpmCsr, type TpmKeySource } from './tpm-csr';
import { startTpmAttestation } from './tpm-evidence';

export type CertFormat = 'P12' | 'PEM' | 'P12v2';

/** The largest RSA key OpenSSL (Node's crypto) generates. */
const MAX_RSA_BITS = 16384;

export interface CertOptions {
  commonName?: string;
  givenName?: string;
  surname?: string;
  sanDomains?: string[];
}

export interface CertRequestContext {
  client: RcdpClient;
  frontEnd: FlowFrontEnd;
  format: CertFormat;
  csr: boolean;
  outOfBand: boolean;
  certOptions?: CertOptions;
  /** Fallback CN when csr-requirements leaves it open ("any"). */
  defaultCommonName: string;
  unattended: boolean;
  pollIntervalSeconds: number;
  maxPolls: number;
  wait: (seconds: number, reason: Extract<FlowProgress, { kind: 'wait' }>['reason']) => Promise<void>;
  step: (step: string, detail?: StepDetail) => void;
  /** Approver email chosen earlier (re-polls of a pending GlobalSign order). */
  approverEmail?: string;
  /** The service wants the key generated in the TPM (implies CSR mode). */
  tpm?: TpmKeySource;
  /** ... and attested (yes-with-attestation): tpm-attestation before the cert request, tpm-evidence with it. */
  tpmAttestation?: boolean;
}

export type CertResult =
  | {
      kind: 'issued';
      bundle: Omit<CertificateBundle, 'label' | 'origin'>;
      historical: Omit<CertificateBundle, 'label' | 'origin'>[];
      extras: CertExtras;
    }
  | { kind: 'pending-approval'; approvalOngoing: boolean };

/** Phase 3: ask for a certificate (server key or CSR), follow challenges and polling, decode the result. */
export async function requestCertificate(ctx: CertRequestContext): Promise<CertResult> {
  const features = ctx.client.features;
  const params: Record<string, string> = {};
  let ownKeyPem: string | undefined;
  let tpmKey: CertificateBundle['tpmKey'];
  let format: CertFormat = ctx.format;
  if (format === 'P12v2' && !features.p12v2) format = 'P12';

  if (ctx.csr || ctx.tpm) {
    if (!features.csr)
      throw new FlowFailure(
        'unsupported',
        `the server speaks RCDP ${features.version}, which cannot sign CSRs (needs 2.2.0); enroll without --csr`,
      );
    ctx.step('csr-requirements');
    const reqs = await ctx.client.csrRequirements();
    const keySize = reqs['key-size'] && reqs['key-size'] >= 2048 ? reqs['key-size'] : 2048;
    // OpenSSL makes no RSA key over 16384 bits (nor a fractional one): that failed as an internal error of the agent
    // (exit 1) although the server's template is what needs fixing.
    if (!Number.isInteger(keySize) || keySize > MAX_RSA_BITS)
      throw new FlowFailure(
        'protocol',
        `the server's csr-requirements ask for a ${reqs['key-size']}-bit key; the agent makes RSA keys of 2048 to ${MAX_RSA_BITS} bits (fix the service's key size on the server)`,
      );
    const subject = csrSubject(reqs, ctx.defaultCommonName, ctx.certOptions?.commonName);
    if (ctx.tpm) {
      // yes-with-attestation: the TPM is attested before its key is made, so a refused TPM costs no key.
      const attestation = ctx.tpmAttestation ? await startTpmAttestation(ctx.client, ctx.tpm, ctx.step) : undefined;
      try {
        ctx.step('generate-key', coreText('step.key-in-tpm', `RSA ${keySize} in the TPM`, { size: keySize }));
        const made = await tpmCsr(ctx.tpm, keySize, subject, csrSan(reqs), reqs['signing-algo'] || 'sha256');
        // The public key only finds the issued certificate; the bundle then carries the TPM handle, never a key.
        ownKeyPem = made.publicPem;
        tpmKey = made.key;
        params.csr = made.csr;
        if (attestation) Object.assign(params, await attestation.fieldsFor(made.key));
      } catch (err) {
        if (tpmKey) await ctx.tpm.remove(tpmKey).catch(() => undefined);
        throw err;
      } finally {
        await attestation?.close();
      }
    } else {
      ctx.step('generate-key', `RSA ${keySize}`);
      const keys = await generateRsaKeyPair(keySize);
      ownKeyPem = keys.privateKeyPem;
      params.csr = buildCsr({
        privateKeyPem: keys.privateKeyPem,
        subject,
        san: csrSan(reqs),
        signingAlgo: reqs['signing-algo'] || 'sha256',
      });
    }
  } else {
    params.format = format;
  }
  if (ctx.outOfBand && features.outOfBand) params['out-of-band'] = 'true';
  if (features.includeChainParam) params['include-chain'] = 'True';
  const opts = ctx.certOptions;
  if (opts?.commonName && !params.csr) params['common-name'] = opts.commonName;
  if (opts?.givenName && opts.surname && features.givenNameSurname) {
    params['given-name'] = opts.givenName;
    params.surname = opts.surname;
  }
  if (opts?.sanDomains?.length && features.sanDomains) params['san-domains'] = rcdpJson(opts.sanDomains);

  try {
    let approverEmail = ctx.approverEmail;
    for (let poll = 0; ; poll++) {
      ctx.step('cert', poll ? coreText('step.poll', `poll ${poll}`, { number: poll }) : undefined);
      let reply;
      try {
        reply = await ctx.client.cert(params, { csr: !!params.csr });
      } catch (err) {
        // "P12v2 from 2.7.0" is an assumption (app/rcdp/README.md): a server that refuses the format as an invalid
        // request (HTTP 400) gets the format every version documents, P12, once.
        if (poll > 0 || params.format !== 'P12v2' || !(err instanceof RcdpHttpError && err.httpStatus === 400)) throw err;
        ctx.step('cert', coreText('step.p12-fallback', 'the server refused P12v2; asking for P12'));
        format = 'P12';
        params.format = 'P12';
        reply = await ctx.client.cert(params, { csr: !!params.csr });
      }
      if (reply.status === 'cert') {
        const issued = await decodeIssued(ctx, reply, format, ownKeyPem);
        if (tpmKey) issued.bundle = { certPem: issued.bundle.certPem, chainPem: issued.bundle.chainPem, tpmKey };
        return { kind: 'issued', ...issued };
      }
      if (reply.status === 'pending-approval') return { kind: 'pending-approval', approvalOngoing: reply['approval-ongoing'] };
      if (poll >= ctx.maxPolls) {
        throw new FlowFailure(
          'server-error',
          `the server still reports the certificate as ${reply.status} after ${poll} polls; try again later`,
        );
      }
      params.cookie = rcdpJson({ name: reply.cookie.name, value: reply.cookie.value });
      if (reply.status === 'cert-challenge') {
        if (reply['challenge-type'] !== 'select-globalsign-domainssl-approver-email') {
          throw new FlowFailure(
            'unsupported',
            `the server sent certificate challenge "${reply['challenge-type']}", which this agent does not support`,
          );
        }
        const emails = parseEmails(reply['challenge-data']);
        if (!approverEmail || !emails.includes(approverEmail)) {
          if (ctx.unattended)
            throw withText(
              new FlowFailure('needs-input', 'the certificate needs an approver email to be chosen; enroll interactively'),
              'renewal.needs-approver',
            );
          const answer = expectAnswer(await ctx.frontEnd.prompt({ kind: 'approver-email', emails }), 'approver-email');
          if (!emails.includes(answer.email))
            throw new FlowFailure('bad-input', `${answer.email} is not one of the approver emails offered: ${emails.join(', ')}`);
          approverEmail = answer.email;
        }
        params.response = rcdpJson({ type: reply['challenge-type'], data: Buffer.from(approverEmail).toString('base64') });
        continue;
      }
      // submitted / in-progress: the server needs time; poll with its cookie.
      // The server's own words: the UI frames them as the server's.
      if (reply.details) ctx.step('cert', coreText('server.says', reply.details, { text: reply.details }));
      await ctx.wait(ctx.pollIntervalSeconds, reply.status);
    }
  } catch (err) {
    // A key the TPM made for a request that failed is of no use: free its handle.
    if (tpmKey) await ctx.tpm?.remove(tpmKey).catch(() => undefined);
    throw err;
  }
}

function parseEmails(data: string): string[] {
  const text = Buffer.from(data, 'base64').toString('utf8').trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed) && parsed.every((e) => typeof e === 'string')) return parsed;
  } catch {
    // not JSON: a separated list
  }
  const list = text.split(/[\s,;]+/).filter(Boolean);
  if (!list.length) throw new FlowFailure('protocol', 'the approver-email challenge lists no email addresses');
  return list;
}

/** csr-requirements subject: empty values mean "any" (server ≥ 7.4.1) and are left out, except CN. */
function csrSubject(reqs: CsrRequirementsReply, defaultCn: string, chosenCn?: string): CsrSubject {
  const s = reqs.subject;
  const pick = (v?: string) => (v && v.trim() ? v : undefined);
  const ous = (s.ous ?? (s.ou !== undefined ? [s.ou] : [])).filter((o) => o.trim());
  return {
    cn: pick(s.cn) ?? chosenCn ?? defaultCn,
    c: pick(s.c),
    st: pick(s.st),
    l: pick(s.l),
    o: pick(s.o),
    ous: ous.length ? ous : undefined,
    e: pick(s.e),
  };
}

function csrSan(reqs: CsrRequirementsReply): string[] | undefined {
  const san = (reqs.san ?? []).filter((e) => e.trim() && !/^[A-Za-z]+:$/.test(e.trim()));
  return san.length ? san : undefined;
}

type Decoded = {
  bundle: Omit<CertificateBundle, 'label' | 'origin'>;
  historical: Omit<CertificateBundle, 'label' | 'origin'>[];
  extras: CertExtras;
};

async function decodeIssued(
  ctx: CertRequestContext,
  reply: CertIssued,
  format: CertFormat,
  ownKeyPem?: string,
): Promise<Decoded> {
  const password = ctx.client.keyPassword;
  let payload: string | Buffer;
  if (reply.cert !== undefined) payload = reply.cert;
  else if (reply['cert-url-templ']) {
    ctx.step('download', coreText('step.out-of-band', 'out-of-band certificate'));
    payload = await ctx.client.download(reply['cert-url-templ']);
  } else throw new FlowFailure('protocol', "the server's cert reply holds neither cert nor cert-url-templ");

  const bundle = decodeOne(payload, ownKeyPem ? 'CSR' : format, password, ownKeyPem);
  const historical = (reply['historical-certs'] ?? []).flatMap((h, i) => {
    try {
      return [{ ...decodeOne(h, format, password), historical: true }];
    } catch (err) {
      const why = (err as Error).message;
      ctx.step(
        'historical-cert',
        coreText('step.historical-skipped', `historical certificate ${i + 1} skipped: ${why}`, { number: i + 1, reason: why }),
      );
      return [];
    }
  });
  const extras: CertExtras = {
    executeSync: reply['execute-sync'],
    storeToSystem: reply['store-to-system'],
    applyAddressBooks: reply['apply-address-books'],
    addressBooks: reply['address-books'],
    applySmimeSettings: reply['apply-smime-settings'],
    setDisclaimer: reply['set-disclaimer'],
    historicalCertsUrlTemplate: reply['historical-certs-url-templ'],
  };
  for (const k of Object.keys(extras) as (keyof CertExtras)[]) if (extras[k] === undefined) delete extras[k];
  return { bundle, historical, extras };
}

/** One certificate in the server's format → PEM bundle with the key decrypted (in memory only). */
export function decodeOne(payload: string | Buffer, format: CertFormat | 'CSR', password: string, ownKeyPem?: string) {
  if (format === 'P12' || format === 'P12v2') {
    const der =
      Buffer.isBuffer(payload) && payload[0] === 0x30
        ? payload
        : Buffer.from(payload.toString().replace(/\\\//g, '/').trim(), 'base64');
    if (der.length < 16 || der[0] !== 0x30)
      throw new FlowFailure('protocol', `the server's ${format} certificate is not base64-encoded PKCS#12 data`);
    let p12;
    try {
      p12 = parsePkcs12(der, password);
    } catch (err) {
      throw new FlowFailure('protocol', `cannot open the ${format} package the server sent: ${(err as Error).message}`);
    }
    return { certPem: p12.certPem, keyPem: p12.keyPem, chainPem: p12.chainPem };
  }
  const text = payload.toString().replace(/\\\//g, '/').replace(/\\n/g, '\n');
  const certs = splitPemBlocks(text, 'CERTIFICATE');
  if (!certs.length)
    throw new FlowFailure(
      'protocol',
      `the server's ${format === 'CSR' ? 'signed certificate' : 'PEM certificate'} contains no CERTIFICATE block`,
    );
  let keyPem = ownKeyPem;
  if (!keyPem) {
    const keyBlock = [
      ...splitPemBlocks(text, 'ENCRYPTED PRIVATE KEY'),
      ...splitPemBlocks(text, 'PRIVATE KEY'),
      ...splitPemBlocks(text, 'RSA PRIVATE KEY'),
    ][0];
    if (!keyBlock) throw new FlowFailure('protocol', "the server's PEM reply contains no private key");
    try {
      keyPem = decryptPrivateKeyPem(keyBlock, password);
    } catch (err) {
      throw new FlowFailure('protocol', `cannot decrypt the private key the server sent: ${(err as Error).message}`);
    }
  }
  const leaf = certs.find((c) => certMatchesKey(c, keyPem));
  if (!leaf) throw new FlowFailure('protocol', 'none of the certificates the server sent matches the private key');
  const chain = certs.filter((c) => c !== leaf && !describeCertificate(c).selfIssued);
  const roots = certs.filter((c) => c !== leaf && describeCertificate(c).selfIssued);
  return { certPem: leaf, keyPem, chainPem: [...chain, ...roots] };
}
