export { startSwtpm, swtpmUnavailable, type SwTpm } from './swtpm';
export { startKdc, kdcUnavailable, type TestKdc } from './kdc';
export { reportSkip } from './skip';
export { createEkCa, ekPublicPem, provisionEkCert, type EkCa } from './ek-cert';
export { startResourceManager, tpm2Pkcs11Unavailable, TPM2_PKCS11_MODULE } from './tpm2-pkcs11';
