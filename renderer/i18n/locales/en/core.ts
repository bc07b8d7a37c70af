import { doctor } from './core-doctor';
import { onlineca } from './core-onlineca';
import { renewal } from './core-renewal';
import { step } from './core-steps';

/**
 * The core's errors and warnings by code (app/model/core-text.ts lists every code and its values). The CLI and the
 * log keep the core's own English sentence; this is what the UI says. `{{seconds}}` arrives as a duration in words,
 * `{{at}}` as a date and time, a value that is itself a coded text already in the user's language.
 */
export const core = {
  core: {
    auth: {
      rejected: 'The KeyTalk server rejected the user name or password. Check them and try again.',
      'rejected-final': 'The KeyTalk server rejected the credentials. Try again with the right ones.',
      'rejected-final-wait': 'The KeyTalk server rejected the credentials. Wait {{seconds}}, then try again with the right ones.',
      'rejected-remembered':
        'The KeyTalk server rejected the remembered password; it was not sent again. Sign in to renew the certificate.',
      'rejected-hwsig': 'The KeyTalk server rejected the hardware signature of this device. Contact your administrator.',
      locked: 'Your account is locked on the KeyTalk server. Try again later or contact your administrator.',
      'locked-for':
        'Your account is locked on the KeyTalk server for another {{seconds}}. Try again later or contact your administrator.',
      'seat-locked': 'This seat is locked on the KeyTalk server. Contact your administrator.',
      'expired-unattended': 'Your password has expired. Sign in yourself to change it; automatic renewal cannot.',
      'change-refused':
        'The server refused the password change: the old password is wrong or the new one does not meet the password rules.',
      'change-refused-final': 'The password change was refused too many times. Try again later.',
    },
    network: {
      refused: '{{host}} refused the connection. Is the server running, and is the address in the provider file right?',
      'not-found': '{{host}} could not be found. Check your network connection.',
      reset: '{{host}} broke off the connection. Try again in a moment.',
      unreachable: '{{host}} could not be reached. Check your network connection.',
      broke: 'The connection to {{host}} broke. Try again in a moment.',
      'connect-timeout': '{{host}} did not answer in time. Check your network connection or try again later.',
      stalled: '{{host}} is too slow to answer. Try again later.',
    },
    tls: {
      expired: 'The security certificate of {{host}} has expired. Contact your administrator; the agent will not connect.',
      'not-yet-valid': "The security certificate of {{host}} is not valid yet. Check your computer's date and time.",
      'wrong-host': 'The security certificate of {{host}} is made out to another name. Contact your administrator.',
      'unknown-ca':
        'The security certificate of {{host}} is not from a CA this provider trusts. Re-import the provider file or contact your administrator.',
      'self-signed': 'The security certificate of {{host}} signs itself and is not trusted. Contact your administrator.',
      revoked: 'The security certificate of {{host}} has been revoked. Contact your administrator.',
      'not-server-certificate': '{{host}} presented a certificate that is not meant for a server. Contact your administrator.',
      'bad-certificate': 'The security certificate of {{host}} cannot be read. Contact your administrator.',
      handshake: 'A secure connection to {{host}} could not be set up. Contact your administrator.',
    },
    rccd: {
      unsigned: 'Its description (v1 manifest) is not signed.',
      'self-vouched':
        'Its description (v1 manifest) is signed only by a CA that the file itself brings along, so the signature does not show who made it.',
      'not-rccd': '{{file}} is not a KeyTalk provider file (.rccd). Choose the file your administrator gave you.',
      unsafe: '{{file}} is refused: the archive holds unsafe entries. Ask your administrator for a new copy.',
      damaged: '{{file}} is damaged or incomplete and was not imported. Ask your administrator for a new copy.',
      'too-large': '{{file}} is too large to import. Ask your administrator for a smaller provider file.',
      'not-newer':
        'Provider "{{name}}" already has version {{installed}}; this file has version {{offered}}, which is not newer. Nothing was changed.',
      'onlineca-exists': 'An Online CA provider named "{{name}}" already exists. Remove it first in Settings → Providers.',
    },
    repaired: {
      settings:
        'Your settings had invalid values on {{at}} ({{problem}}). The defaults are used instead; the original is kept at {{path}}.',
      provider: "{{file}} was found damaged on {{at}} and moved aside to {{path}}. Re-import the provider's file.",
      file: '{{file}} was found damaged on {{at}} and moved aside to {{path}}. The agent rebuilt what it could.',
    },
    policy: {
      locked: '{{what}} is managed by your organisation (policy "{{key}}") and cannot be changed here.',
      'unknown-key': 'The policy {{source}} has an unknown setting "{{key}}"; it is ignored.',
      'bad-value': 'The policy {{source}} has an invalid "{{key}}" ({{problem}}); it is ignored.',
      'not-object': 'The policy {{source}} is not a list of settings; it is ignored.',
      unreadable: 'The policy {{source}} could not be used and is ignored. Details: {{problem}}',
      provisioning: 'A provider your organisation provides could not be imported or refreshed. Details: {{problem}}',
      'system-store-refused':
        "The server asked to put this certificate in the computer's certificate store, but your organisation's policy does not allow that store. It was put in your own certificate store instead ({{stores}}).",
    },
    store: {
      'system-not-admin': 'the agent is not running as an administrator, so it cannot write the LocalMachine\\My store',
      'system-not-root': 'the agent is not running as root, so it cannot write the System keychain',
      'system-not-writable': 'the agent may not write {{dir}} (run it as root to use the machine store)',
      'system-none': 'this agent knows no machine certificate store on this platform',
      'system-unattended':
        'The server asks to store this certificate in the machine (system) store, but {{reason}}. Renew it yourself, or run the agent with administrator rights.',
      'system-declined':
        'The server asks to store this certificate in the machine (system) store, but {{reason}}. You chose not to use your own store: run the agent as administrator (root) and request the certificate again.',
      'none-selected': 'The store to put the certificate in is not chosen. Turn on at least one store in Settings.',
      'cannot-take': 'The store {{store}} cannot take a certificate: {{reason}}. Nothing was requested from the server.',
      'nss-old-format': 'this profile still uses the old certificate database format; start Firefox or Thunderbird with it once',
      'nss-no-database': 'there is no certificate database yet; start the application once with this profile',
      'not-writable': 'the folder {{dir}} cannot be written',
      'system-ca-tool-missing': 'the system tool to update trusted CAs is missing; install ca-certificates',
    },
    disk: {
      full: 'The disk is full. Free some space and try again; nothing was half-written.',
      quota: 'Your disk quota is used up. Free some space and try again; nothing was half-written.',
      'read-only': 'The disk is read-only. Make the agent folder writable and try again; nothing was half-written.',
    },
    home: {
      busy: 'Another KeyTalk Agent process is busy with the same files. Try again in a moment.',
      'not-writable':
        'The agent cannot write its folder {{dir}}. Check its permissions and free disk space, or ask your administrator.',
    },
    flow: { cancelled: 'The request was cancelled.' },
    renewal,
    step,
    onlineca,
    doctor,
    provider: { exists: 'A provider named "{{name}}" already exists. Choose another name or remove that provider first.' },
    smime: {
      unavailable: 'S/MIME certificates for external recipients are not available to you.',
      'orders-unavailable': 'Ordering S/MIME certificates is not available to you.',
      'not-enabled': 'Your KeyTalk account is not enabled for self-service. Ask your KeyTalk administrator to enable it.',
      'not-smime': 'The certificate used is not an S/MIME certificate. Request your S/MIME certificate first.',
      'cert-invalid': 'Your certificate is no longer valid. Renew it, then try again.',
      'no-smtp': 'The KeyTalk server cannot send e-mail (SMTP is not set up). Ask your KeyTalk administrator.',
      'orders-personalsign':
        'Orders are only possible for services bound to GlobalSign PersonalSign. Clear “Place orders with the CA” and try again.',
      licence: 'The KeyTalk licence does not allow more certificates. Ask your KeyTalk administrator.',
      'cannot-check': 'Could not check whether inviting is available: {{reason}}',
      'no-email':
        'Your certificate has no e-mail address, so it cannot identify you for self-service. Use your S/MIME certificate.',
      expired: 'Your certificate expired on {{at}}. Renew it first.',
      'mobile-required':
        'The server needs a mobile number for every recipient (the certificate password is sent by SMS). Add one for {{emails}}.',
      'several-providers':
        'You have S/MIME certificates from several providers ({{providers}}). Choose the provider to invite from.',
      'no-certificate': 'The agent has no valid S/MIME certificate with its private key. Request your S/MIME certificate first.',
      'no-recipients': 'Add at least one recipient.',
      'not-accepted':
        'The KeyTalk server did not accept your certificate as a self-service user. Renew it or ask your KeyTalk administrator.',
      'recipients-refused': 'The KeyTalk server refused the recipients. Check the e-mail addresses and mobile numbers.',
    },
    // The server's own words (a popup template, a reason) cannot be translated: this frame says whose they are.
    server: { says: 'The KeyTalk server says: {{text}}' },
  },
};
