/** A flow step's detail by code (app/model/core-text.ts `step.*`), part of en/core.ts: shown after the step's name. */
export const step = {
  'key-in-tpm': 'RSA {{size}} in the TPM',
  poll: 'check {{number}}',
  'p12-fallback': 'the server refused P12v2; asking for P12',
  'out-of-band': 'the certificate is downloaded separately',
  'historical-skipped': 'older certificate {{number}} skipped: {{reason}}',
  'password-expires': 'your password expires in {{seconds}}; change it soon',
  'after-issue': 'mail programs, shared mailboxes, certificate scan',
  synchronously: 'synchronously',
  asynchronously: 'asynchronously',
  'challenge-response': "answer to the server's challenge",
  seat: 'seat',
  'tpm-keys': 'endorsement key certificate and attestation key',
  'tpm-challenge': 'the TPM answers the challenge and certifies the key',
  'fetching-roots': 'fetching trust roots from {{host}}',
  contacting: 'contacting {{host}}',
  'sending-request': 'sending the certificate request to {{host}}',
};
