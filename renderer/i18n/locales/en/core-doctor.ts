/**
 * The doctor's detail lines by code (app/model/core-text.ts `doctor.*`), part of en/core.ts: what a check of
 * "Test connection" found and what to do, in the window's words (the CLI prints the core's English with its flags).
 */
export const doctor = {
  'no-provider': "No provider is set up yet. Import your organisation's provider file (RCCD) or add an Online CA.",
  'stores-error': 'The certificate stores cannot be opened: {{problem}}',
  'home-ok': "The agent's folder {{home}} is writable.",
  'home-fail': "Cannot write to {{dir}} ({{problem}}). Check the folder's permissions or free up disk space.",
  'no-stores': 'No certificate store is switched on. Switch one on in Settings.',
  'store-ok': '{{name}} ({{store}}) is ready: {{location}}',
  'store-unavailable': '{{name}} ({{store}}) cannot take a certificate: {{reason}}',
  'store-error': '{{store}}: {{problem}}',
  'secret-none': 'There is no safe place for passwords on this computer, so passwords cannot be remembered.',
  'secret-ok-os': 'The password store ({{kind}}) works and is protected by the operating system.',
  'secret-ok-file': 'The password store ({{kind}}) works; it is a key file only you can read, weaker than the system keyring.',
  'secret-fail':
    "The password store ({{kind}}) does not work: {{problem}}. Unlock the keyring, or check the permissions of the agent's secrets folder.",
  'policy-warning': "Your organisation's policy: {{warning}}",
  'policy-ok': "Your organisation's policy from {{sources}} is in force, without problems.",
  'policy-none': 'No policy is set by your organisation.',
  'service-none': 'No background service is installed. Certificates are renewed while this app (or a background service) runs.',
  'service-running': 'The background service ({{manager}}, {{file}}) is running: {{detail}}',
  'service-stopped':
    'The background service ({{manager}}, {{file}}) is installed but not running: {{detail}}. Start it, and check its log for why it stopped.',
  'service-unknown': 'The background service could not be checked: {{problem}}',
  skipped: 'Not checked, because the {{step}} check failed.',
  'skipped-no-handshake': 'Not measured: the server did not complete the handshake.',
  'skipped-no-reply': 'Not measured: the service did not answer.',
  'skipped-untrusted': 'Not checked: no CA is trusted for this provider yet.',
  'dns-ip': '{{host}} is an IP address; no lookup needed.',
  'dns-ok': '{{host}} was found at {{addresses}}.',
  'dns-fail':
    "{{host}} cannot be found ({{problem}}). Check the server name in the provider file, and this computer's network or VPN connection.",
  'dns-fail-onlineca':
    "{{host}} cannot be found ({{problem}}). Check the provider's address in Settings → Providers, and this computer's network or VPN connection.",
  'tcp-ok': 'Connected to {{address}} port {{port}}.',
  'tcp-timeout': 'No answer from {{address}} port {{port}} within {{ms}} ms. A firewall or proxy may be blocking the connection.',
  'tcp-refused':
    '{{address}} refused the connection on port {{port}}. Is the KeyTalk server running, and is the port in the provider file right?',
  'tcp-refused-onlineca':
    "{{address}} refused the connection on port {{port}}. Is the Online CA service running, and is the port in the provider's address right?",
  'tcp-fail': 'Cannot connect to {{address}} port {{port}}: {{problem}}',
  'tls-ok':
    'Secure connection ({{protocol}}) with "{{subject}}", issued by "{{issuer}}" ({{trustedBy}}), valid until {{validUntilAt}}.',
  'tls-timeout': 'The secure connection with {{host}} port {{port}} was not set up within {{ms}} ms.',
  'tls-fail': 'The secure connection with {{host}} port {{port}} failed: {{problem}}',
  'tls-foreign-ca':
    "The security certificate of {{host}} ({{peer}}) is not from {{trustedBy}} ({{reason}}); it may not be the real Online CA. If its CA really changed, compare the new fingerprints with the CA's operator, then remove the provider in Settings → Providers and add it again.",
  'trusted-by-rccd': 'the server CA in the provider file',
  'trusted-by-pin': 'the CA pinned for {{name}} on {{date}}',
  'trusted-by-confirmed': 'the CA confirmed for {{name}} on {{date}}',
  peer: '"{{subject}}", issued by "{{issuer}}", SHA-256 {{fingerprint}}',
  'peer-unknown': 'its certificate',
  'rcdp-ok': 'The KeyTalk server answers (protocol {{version}}).',
  'rcdp-clock-refused': "The server refused the connection because this computer's clock differs from the server's.",
  'rcdp-fail': 'The KeyTalk server did not complete the handshake: {{problem}}',
  'clock-refused':
    "This computer's clock differs too much from the server's, so the server refuses sign-in. Turn on automatic time (network time).",
  'clock-no-utc': 'The server sent no time to compare with.',
  'clock-ok': "The clock matches the server's ({{skew}} s difference).",
  'clock-ahead':
    "This computer's clock is {{seconds}} ahead of the server's. The server refuses sign-in beyond its limit: turn on automatic time (network time).",
  'clock-behind':
    "This computer's clock is {{seconds}} behind the server's. The server refuses sign-in beyond its limit: turn on automatic time (network time).",
  'clock-no-date': 'The service sent no time to compare with.',
  'clock-ok-service': "The clock matches the service's ({{skew}} s difference).",
  'clock-ahead-service':
    "This computer's clock is {{seconds}} ahead of the service's. A new certificate may look not yet valid or expired: turn on automatic time (network time).",
  'clock-behind-service':
    "This computer's clock is {{seconds}} behind the service's. A new certificate may look not yet valid or expired: turn on automatic time (network time).",
  'server-version': 'KeyTalk server version {{version}}.',
  'version-fail': 'The KeyTalk server did not give its version: {{problem}}',
  'health-ok': 'The server reports that it works normally.',
  'health-bad': 'The server reports a problem. Tell your KeyTalk administrator.',
  'health-bad-says': 'The server reports a problem: {{problem}}. Tell your KeyTalk administrator.',
  'health-fail': 'The server health check failed: {{problem}}',
  'roots-fail': 'The trust roots could not be fetched: {{problem}}',
  'roots-status': '{{host}} answered the trust roots request with HTTP {{status}}. Check the address {{url}}.',
  'roots-status-server':
    "{{host}} answered the trust roots request with HTTP {{status}}, a server error. Tell the CA's operator.",
  'roots-ok': '{{host}} serves its trust roots: {{number}} CA certificate(s), the ones accepted.',
  'roots-changed':
    "{{host}} now serves other trust roots than the {{number}} accepted on {{date}}. Ask the CA's operator whether its CA changed; requests still trust only the accepted ones.",
  'roots-unreadable': 'The trust roots from {{host}} cannot be read: {{problem}}',
  'cert-service-ok': '{{host}} answers certificate requests (HTTP {{status}} without sign-in).',
  'cert-service-ok-realm': '{{host}} answers certificate requests (HTTP {{status}} without sign-in, realm "{{realm}}").',
  'cert-service-status': '{{host}} answered a certificate request with HTTP {{status}}. Check the address {{url}}.',
  'cert-service-status-server':
    "{{host}} answered a certificate request with HTTP {{status}}, a server error. Tell the CA's operator.",
  'cert-service-fail': 'The certificate service could not be reached: {{problem}}',
  'onlineca-untrusted':
    "No CA is trusted for {{name}} yet. Request a certificate from it once and compare the fingerprints it shows with the CA's operator.",
};
