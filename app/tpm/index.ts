export { TpmKeys, TpmError, KEY_ATTRIBUTES, opensslSubject, opensslSan, type TpmKeyRef, type CsrFields } from './tpm-keys';
