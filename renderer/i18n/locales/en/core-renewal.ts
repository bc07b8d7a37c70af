/**
 * The core's renewal texts by code (app/model/core-text.ts `renewal.*`), part of en/core.ts: why a certificate
 * renews when it does (the card shows the date beside it, so these are lower-case parts of a line), the state of a
 * renewal and its last attempt, and the unattended renewal popup's sentences.
 */
export const renewal = {
  'server-margin': 'the KeyTalk server renews certificates {{marginSeconds}} before they expire',
  'valid-percent': 'when less than {{percent}}% of its validity remains, as the service is set up',
  'default-percent':
    "when less than {{percent}}% of its validity remains (the agent's default: neither the server nor the provider file sets a renewal margin)",
  'policy-floor': "your organisation's policy renews at least {{floorSeconds}} before expiry",
  'margin-unusable':
    "{{basis}}; the server's renewal margin of {{marginSeconds}} is as long as the whole validity and cannot be used",
  'percent-unusable': "{{basis}}; the service's setting of 100% would renew it the moment it is issued and cannot be used",
  'floor-unusable':
    "{{basis}}; your organisation's renewal floor of {{floorSeconds}} is as long as the whole validity and is not used",
  'switch-over': 'the renewed certificate was issued; the old one stays until the new one is in every store',
  'not-in-every-store': 'the new certificate was issued but is not yet in every store: {{reason}}',
  'awaiting-approval': 'renewal requested; waiting for approval (checked every {{seconds}})',
  approver: 'waiting for an approver on the KeyTalk server',
  locked: 'your account is locked on the server; the agent tries again later',
  'waiting-for-user': 'waiting for you to renew (reminder {{reminder}}; next in {{seconds}})',
  'needs-user': 'needs you: {{why}}',
  'needs-sign-in': 'a sign-in only you can do',
  'needs-challenge': "an answer to the server's challenge question",
  'needs-otp': 'the one-time password the server sent you',
  'needs-approver': 'the choice of an approver e-mail address',
  'seat-not-auto': 'the server does not renew seat certificates of this service automatically',
  stopping: 'the agent was shutting down',
  cancelled: 'the renewal was cancelled',
  'nothing-requested': 'no certificate was requested',
  'popup-sign-in': 'Your {{service}} certificate from {{provider}} expires on {{at}}. Sign in to renew it.',
  'popup-locked':
    'Your account is locked on the KeyTalk server, so {{service}} could not be renewed. Nothing was lost: the current certificate stays in use until {{at}}. The agent will try again later.',
  'popup-failing': 'Renewing {{service}} keeps failing: {{reason}}.',
  'popup-hook-failed':
    'The command set to run around the renewal of {{service}} did not succeed: {{problem}}. The renewed certificate is in place; the log has the details.',
  'hook-failed': 'it ended with exit status {{status}}',
  'hook-timeout': 'it was stopped after {{seconds}}',
};
