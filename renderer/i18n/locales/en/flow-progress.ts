/**
 * English names for what the core reports as codes during and after a flow (app/model/flow-types.ts): the engine's
 * step names, MFA states and failure codes. The core's own detail text stays beside them as it came (it is the
 * CLI's and the log's too); an unknown code is shown raw.
 */
export const flowProgress = {
  flowProgress: {
    steps: {
      hello: 'Contacting the server',
      handshake: 'Agreeing on the protocol',
      'auth-requirements': 'Asking what sign-in the service needs',
      'resolve-service-uris': 'Looking up the service addresses',
      'digest-service-uris': 'Checking the service addresses',
      authenticate: 'Signing in',
      authentication: 'Signing in',
      'change-password': 'Changing the password',
      'password-expires': 'Your password expires soon',
      'last-messages': 'Fetching messages from your provider',
      'csr-requirements': 'Asking what the certificate request needs',
      'generate-key': 'Generating the key',
      'tpm-attestation': 'Proving the TPM to the server',
      'tpm-evidence': 'The TPM answers the server’s challenge',
      cert: 'Requesting the certificate',
      'request-certificate': 'Requesting the certificate',
      download: 'Downloading the certificate',
      'historical-cert': 'Fetching older e-mail certificates',
      store: 'Storing the certificate',
      'system-store': 'Storing in the machine store',
      'system-store-refused': 'Storing in your own store: your organisation’s policy does not allow the machine store',
      'after-issue': 'Setting up mail and other programs',
      'service-uris': 'Opening the service’s pages and programs',
      'trust-roots': 'Fetching the CA certificates',
    },
    mfaStates: {
      'waiting-for-browser': 'finish signing in in your browser',
      silent: 'signing in with the saved sign-in',
      done: 'signed in',
      cancelled: 'cancelled',
    },
    failures: {
      'auth-failed': 'The server did not accept the sign-in. Check your user name and password.',
      locked: 'The account is locked. Wait, or ask your administrator.',
      network: 'The server could not be reached. Check the network connection.',
      tls: 'The server’s identity could not be verified, so nothing was sent.',
      'server-error': 'The server reported an error. Try again later or contact your administrator.',
      'store-failed': 'The certificate could not be stored; nothing was changed.',
      'bad-input': 'Something entered or configured is not valid.',
      unsupported: 'The server asks for something this agent does not support.',
      'time-out-of-sync': 'This computer’s clock differs too much from the server’s. Correct the time and try again.',
      protocol: 'The server answered in a way the agent does not understand.',
      'incompatible-version': 'The server’s version does not work with this agent.',
      internal: 'The agent ran into an internal error; the log has the details.',
    },
  },
};
