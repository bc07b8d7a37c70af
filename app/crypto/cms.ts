import { constants, createPrivateKey, privateDecrypt } from 'node:crypto';
import forge from 'node-forge';
import { splitPemBlocks } from './pem';

const { asn1 } = forge;
const OID_RSA_OAEP = '1.2.840.113549.1.1.7';

const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/**
 * The RCDP relays the challenge as base64 of the DER ContentInfo; older servers may relay a whole S/MIME
 * message (MIME headers + base64 body) or PEM. Accept all three and return the DER.
 */
function envelopeDer(input: string): Buffer {
  const text = input.trim();
  if (text.startsWith('-----BEGIN')) {
    const block = splitPemBlocks(text)[0];
    if (!block) throw new Error('The encrypted challenge PEM has no complete block');
    return Buffer.from(block.split('\n').filter((l) => l && !l.startsWith('-----')).join(''), 'base64');
  }
  if (!/^[A-Za-z0-9+/=\s_-]+$/.test(text)) {
    throw new Error('The encrypted challenge is not base64; the server reply is malformed');
  }
  const der = Buffer.from(text, 'base64');
  const head = der.subarray(0, 256).toString('latin1');
  if (/^(MIME-Version|Content-)/i.test(head)) {
    const mime = der.toString('latin1').replace(/\r/g, '');
    const sep = mime.indexOf('\n\n');
    if (sep < 0) throw new Error('The encrypted challenge is an S/MIME message without a body');
    return Buffer.from(mime.slice(sep + 2).replace(/\s+/g, ''), 'base64');
  }
  return der;
}

interface OaepParams {
  hash: string;
  mgfHash: string;
}

// RSAES-OAEP-params: [0] hashAlgorithm, [1] maskGenAlgorithm (MGF1 + hash), [2] pSourceAlgorithm; absent = SHA-1.
function oaepParams(parameter: unknown): OaepParams {
  const out: OaepParams = { hash: 'sha1', mgfHash: 'sha1' };
  if (!Array.isArray(parameter)) return out;
  for (const field of parameter as forge.asn1.Asn1[]) {
    if (field.tagClass !== asn1.Class.CONTEXT_SPECIFIC) continue;
    const algId = (field.value as forge.asn1.Asn1[])[0];
    const parts = (algId?.value ?? []) as forge.asn1.Asn1[];
    if (field.type === 0) out.hash = HASH_OIDS[asn1.derToOid(parts[0]!.value as string)] ?? 'unsupported';
    if (field.type === 1) {
      const mgfHashId = (parts[1]?.value as forge.asn1.Asn1[] | undefined)?.[0];
      if (mgfHashId) out.mgfHash = HASH_OIDS[asn1.derToOid(mgfHashId.value as string)] ?? 'unsupported';
    }
    if (field.type === 2) throw new Error('RSA-OAEP with a label (pSourceAlgorithm) is not supported for the seat challenge');
  }
  if (out.hash === 'unsupported' || out.mgfHash !== out.hash) {
    throw new Error('RSA-OAEP parameters of the seat challenge are not supported (the hash and MGF1 hash must match)');
  }
  return out;
}

/**
 * forge's RecipientInfo reader only captures primitive algorithm parameters, so the OAEP parameter SEQUENCE is
 * lost; read it from the ContentInfo: [0] EnvelopedData { version, [0] originatorInfo?, SET recipientInfos, … }.
 */
function keyEncryptionParameters(contentInfo: forge.asn1.Asn1, index: number): unknown {
  const enveloped = ((contentInfo.value as forge.asn1.Asn1[])[1]!.value as forge.asn1.Asn1[])[0]!;
  const set = (enveloped.value as forge.asn1.Asn1[]).find((n) => n.tagClass === asn1.Class.UNIVERSAL && n.type === asn1.Type.SET);
  const ktri = (set?.value as forge.asn1.Asn1[] | undefined)?.[index];
  const algId = (ktri?.value as forge.asn1.Asn1[] | undefined)?.[2];
  const param = (algId?.value as forge.asn1.Asn1[] | undefined)?.[1];
  return param && param.type === asn1.Type.SEQUENCE ? param.value : undefined;
}

interface Recipient {
  serialNumber: string;
  encryptedContent: { algorithm: string; parameter?: unknown; content: string };
}

/**
 * Decrypt the RCDP seat-authentication challenge: a CMS EnvelopedData addressed to the seat certificate.
 * forge does the CMS parsing and the content decryption. The content-encryption key is unwrapped by forge for
 * RSA PKCS#1 v1.5 (Node 20 refuses that padding since the CVE-2023-46809 fix) and by Node for RSA-OAEP (forge
 * has no OAEP recipient support, Node does OAEP natively).
 */
export function decryptCmsEnvelope(base64Der: string, keyPem: string, certPem: string): Buffer {
  let msg: forge.pkcs7.PkcsEnvelopedData;
  let contentInfo: forge.asn1.Asn1;
  try {
    const der = envelopeDer(base64Der);
    contentInfo = asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
    msg = forge.pkcs7.messageFromAsn1(contentInfo) as forge.pkcs7.PkcsEnvelopedData;
  } catch (err) {
    throw new Error(`The encrypted challenge is not a readable CMS EnvelopedData message: ${(err as Error).message}`);
  }
  if (!('recipients' in msg) || typeof msg.findRecipient !== 'function') {
    throw new Error('The encrypted challenge is a CMS message but not EnvelopedData');
  }

  let cert: forge.pki.Certificate;
  let key: forge.pki.rsa.PrivateKey;
  try {
    cert = forge.pki.certificateFromPem(certPem);
    key = forge.pki.privateKeyFromPem(createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey;
  } catch (err) {
    throw new Error(`The seat certificate and key must be an RSA certificate and its unencrypted key: ${(err as Error).message}`);
  }
  const recipient = msg.findRecipient(cert) as unknown as Recipient | null;
  if (!recipient) {
    throw new Error(
      'The encrypted challenge is not addressed to this seat certificate (issuer/serial differ); renew the seat certificate or pick the latest one',
    );
  }

  const m = msg as unknown as { encryptedContent: { key?: forge.util.ByteStringBuffer }; content?: forge.util.ByteStringBuffer };
  try {
    if (recipient.encryptedContent.algorithm === OID_RSA_OAEP) {
      const index = (msg.recipients as unknown[]).indexOf(recipient);
      const { hash } = oaepParams(keyEncryptionParameters(contentInfo, index));
      const cek = privateDecrypt(
        { key: createPrivateKey(keyPem), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash },
        Buffer.from(recipient.encryptedContent.content, 'binary'),
      );
      // With the key set, forge skips its own key-transport step and only decrypts the content.
      m.encryptedContent.key = forge.util.createBuffer(cek.toString('binary'));
    }
    msg.decrypt(recipient as never, key);
  } catch (err) {
    throw new Error(`Could not decrypt the seat challenge with the seat key (${(err as Error).message}); the key does not match the certificate or the message is damaged`);
  }
  if (!m.content) throw new Error('The seat challenge decrypted to nothing');
  return Buffer.from(m.content.getBytes(), 'binary');
}
