import { z } from 'zod';

/**
 * What a certificate is for, as a person would name it: from its extended key usage (RFC 5280 4.2.1.12), and for
 * S/MIME also its key usage (signing needs digitalSignature/nonRepudiation, encryption keyEncipherment/keyAgreement).
 * The core derives it when a store reads the certificate (app/stores/cert-use.ts); the UI turns it into words.
 */
export const CertUse = z.enum(['smime', 'smime-signing', 'smime-encryption', 'client-auth', 'server-auth', 'code-signing']);
export type CertUse = z.infer<typeof CertUse>;
