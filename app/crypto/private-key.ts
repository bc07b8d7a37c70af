import { createPrivateKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

/**
 * Turn an encrypted private key PEM into an unencrypted PKCS#8 PEM string (kept in memory by the caller).
 * Handles PKCS#8 "ENCRYPTED PRIVATE KEY" (PBES2 with AES/3DES, and PBES1) and the legacy OpenSSL form
 * ("Proc-Type: 4,ENCRYPTED" + DEK-Info). An unencrypted key is accepted too and normalised to PKCS#8.
 */
export function decryptPrivateKeyPem(pem: string, password: string): string {
  const encrypted = /ENCRYPTED PRIVATE KEY|Proc-Type:\s*4,ENCRYPTED/.test(pem);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem', passphrase: password });
  } catch (err) {
    const viaForge = encrypted ? decryptWithForge(pem, password) : undefined;
    if (viaForge) return viaForge;
    const msg = (err as Error).message;
    if (encrypted && /bad decrypt|decrypt|passphrase|interrupted or cancelled|unsupported/i.test(msg)) {
      throw new Error('Wrong password for the encrypted private key; enter the password the key was protected with');
    }
    throw new Error(`Not a readable private key PEM (${msg}); expected "-----BEGIN (ENCRYPTED) PRIVATE KEY-----"`);
  }
  return key.export({ type: 'pkcs8', format: 'pem' }) as string;
}

// Node/OpenSSL 3 refuses some old PBES1 ciphers (e.g. pbeWithSHAAnd40BitRC2-CBC) that forge still reads.
function decryptWithForge(pem: string, password: string): string | undefined {
  try {
    const msg = forge.pem.decode(pem)[0];
    if (!msg || msg.type !== 'ENCRYPTED PRIVATE KEY') return undefined;
    const info = forge.pki.decryptPrivateKeyInfo(forge.asn1.fromDer(msg.body), password);
    if (!info) return undefined;
    const der = Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary');
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }) as string;
  } catch {
    return undefined;
  }
}

/** Encrypt a key as PKCS#8 PBES2 (AES-256-CBC, PBKDF2-SHA256) for stores that keep keys on disk. */
export function encryptPrivateKeyPem(keyPem: string, password: string): string {
  if (!password) throw new Error('A password is required to encrypt a private key');
  return createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: password }) as string;
}
