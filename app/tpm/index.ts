export { TpmKeys, TpmError, KEY_ATTRIBUTES, opensslSubject, opensslSan, type TpmKeyRef, type CsrFields } from './tpm-keys';
export { TpmAttestation, credentialBlob, EK_CERT_NV_INDEX, type AttestationRequest, type TpmEvidence } from './tpm-attest';
export { Tpm2Pkcs11Token, tokenPinsSecretName, DEFAULT_TPM2_PKCS11_MODULE, TOKEN_LABEL } from './tpm2-pkcs11';
