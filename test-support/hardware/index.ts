export { startSwtpm, swtpmUnavailable, type SwTpm } from './swtpm';
export { startKdc, kdcUnavailable, type TestKdc } from './kdc';
export { reportSkip } from './skip';
export { createEkCa, ekPublicPem, provisionEkCert, type EkCa } from './ek-cert';
