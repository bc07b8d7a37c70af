/**
 * English texts of the window frame: navigation, status header, shared buttons, the bridge, popups, messages.
 * English is the reference: nl/ and de/ must have exactly these keys (typed against this file, and
 * renderer/i18n/locales.test.ts). Values use i18next's `{{name}}` interpolation and `_one`/`_other`
 * (`_zero` where zero reads differently) plurals with `count`.
 */
export const shell = {
  appName: 'KeyTalk Agent',
  nav: {
    label: 'Main',
    certificates: 'Certificates',
    enroll: 'Enroll',
    messages: 'Messages',
    invite: 'Invite',
    settings: 'Settings',
    unread_one: '{{count}} unread',
    unread_other: '{{count}} unread',
  },
  status: {
    label: 'Agent status',
    idle: 'Idle',
    working: 'Working…',
    attention: 'Needs attention',
    attentionFlow: 'Something is waiting for your answer.',
    attentionEnroll: 'A new certificate for {{provider}} / {{service}} is waiting for your answer.',
    attentionRenew: 'The renewal of {{provider}} / {{service}} is waiting for your answer.',
    attentionPasswordChange: 'Your password change for {{provider}} / {{service}} is waiting for your answer.',
    attentionGo: 'Show it',
    error: 'Error',
    connecting: 'Connecting to the agent…',
    disconnected: 'Not connected',
    nextRenewal: 'Next renewal {{when}}',
    autoEnroll: 'Your organisation asks you to enroll {{provider}} / {{service}}: open Enroll and sign in once.',
    home: 'Home: {{dir}}',
  },
  common: {
    cancel: 'Cancel',
    continue: 'Continue',
    close: 'Close',
    dismiss: 'Dismiss',
    remove: 'Remove',
    failed: '{{what}} failed',
  },
  bridge: {
    lost: 'The connection to the agent was lost. Start the agent again and open the link it prints.',
    noToken:
      'This page was opened without its access key. Open the link the agent printed when it started (it ends in #token=…).',
    refused:
      'The agent refused this page or closed the connection. Open the link the agent printed when it last started; an older link no longer works.',
  },
  messages: {
    title: 'Messages',
    empty: 'No messages from your providers.',
    markRead: 'Mark as read',
    markAllRead: 'Mark all as read',
    unread: 'Unread',
    from: '{{provider}}, {{when}}',
  },
  popup: {
    login: 'Sign in to renew',
    mfa: 'Multi-factor sign-in',
    disclaimer: 'Email disclaimer',
    'unattended-renewal': 'Certificate renewal',
    renewNow: 'Renew now',
    later: 'Later',
  },
};
