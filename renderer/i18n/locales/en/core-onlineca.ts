/** The core's Online CA texts by code (app/model/core-text.ts `onlineca.*`), part of en/core.ts. */
export const onlineca = {
  rejected: 'The Online CA refused user {{user}}: wrong user name or password for {{realm}}.',
  'rejected-final': 'The Online CA refused user {{user}} for {{realm}}. Check the user name and password and try again.',
  'username-colon': 'The user name {{user}} contains ":", which the Online CA cannot accept.',
  'username-required': 'Enter a user name for the Online CA.',
  busy: 'The Online CA at {{host}} is busy. Try again later.',
  'server-error': 'The Online CA at {{host}} had a server error. Try again later, and tell its operator if it persists.',
  'not-processed':
    'The Online CA at {{host}} could not process the certificate request: it expects another format. Report it with the agent log.',
  'unexpected-status': 'The Online CA at {{host}} gave an unexpected answer (HTTP {{status}}). Report it with the agent log.',
  // The CA's own words cannot be translated: they follow the agent's sentence, framed as the CA's.
  'server-says': '{{problem}}. The Online CA says: {{text}}',
  'bad-certificate':
    'The Online CA sent a certificate the agent cannot accept; nothing was stored. Report it with the agent log.',
  'not-chained':
    "The certificate from the Online CA does not chain to its trust roots; nothing was stored. Contact the CA's operator.",
  'no-trust-roots': 'The Online CA provider {{name}} has no usable trust roots. Request a certificate again to fetch them.',
  'trust-roots-status':
    'The Online CA at {{host}} answered the trust roots request with HTTP {{status}}. Check the address {{url}}.',
  'trust-roots-bad': 'The trust roots from {{host}} cannot be read; nothing was stored.',
  'roots-not-vouching': 'The trust roots from {{host}} do not vouch for its own security certificate, so they were refused.',
  'pin-mismatch':
    "The Online CA at {{host}} does not match the pinned fingerprint {{pinned}}: its chain goes through {{actual}}. Nothing was trusted; check the pin with the CA's operator.",
  'trust-not-confirmed': 'Trust in the Online CA at {{host}} was not confirmed; nothing was stored.',
  'needs-trust': 'the Online CA is not trusted yet; request a certificate from it yourself once',
  'needs-password':
    'the Online CA needs a password that was not remembered; request a certificate yourself once and let it be remembered',
};
