import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface KeyPairPem {
  /** Unencrypted PKCS#8 PEM: keep it in memory; stores encrypt it before it reaches disk. */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo PEM. */
  publicKeyPem: string;
}

/**
 * RSA key pair through Node's native (OpenSSL) generator, off the main thread: forge's pure-JS generator is
 * about 5x slower and blocks the event loop, which would freeze the tray UI during enrollment.
 */
export async function generateRsaKeyPair(bits = 2048): Promise<KeyPairPem> {
  if (!Number.isInteger(bits) || bits < 1024 || bits > 16384) {
    throw new Error(`RSA key size ${bits} is not supported; use an integer between 1024 and 16384 (2048 or more recommended)`);
  }
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** EC key pair on a named curve (P-256 by default), same encodings as the RSA variant. */
export async function generateEcKeyPair(namedCurve: 'P-256' | 'P-384' | 'P-521' = 'P-256'): Promise<KeyPairPem> {
  const { privateKey, publicKey } = await generateKeyPairAsync('ec', {
    namedCurve,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}
