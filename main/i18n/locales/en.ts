/**
 * English texts of the main process: tray menu and tooltip, desktop notifications, the sign-in window's title.
 * The reference for nl.ts and de.ts (typed against it; scripts/ui-texts.test.ts checks keys and placeholders).
 * Same conventions as the renderer's (renderer/README.md): `{{name}}` values, `_one`/`_other` plurals on `count`.
 */
export const en = {
  tray: {
    open: 'Open KeyTalk Agent',
    enroll: 'Enroll…',
    renew: 'Renew now',
    messages: 'Messages',
    messagesUnread_one: 'Messages ({{count}} unread)',
    messagesUnread_other: 'Messages ({{count}} unread)',
    supportBundle: 'Create support bundle',
    quit: 'Quit',
  },
  tooltip: {
    working: 'working…',
    attention: 'needs attention',
    error: 'error',
    nextRenewal: 'next renewal {{when}}',
    unread_one: '{{count}} unread message',
    unread_other: '{{count}} unread messages',
  },
  notice: {
    issuedTitle: 'Certificate ready',
    issuedBody: '{{subject}} ({{provider}} / {{service}}) is installed.',
    failedTitle: 'Certificate request failed',
    pendingTitle: 'Waiting for approval',
    pendingBody: 'The request for {{service}} needs approval; it is checked again later.',
    renewedTitle: 'Certificate renewed',
    renewedBody: '{{what}} ({{provider}} / {{service}}) was renewed; valid until {{until}}.',
    disclaimerUpdatedTitle: 'E-mail disclaimer updated',
    disclaimerUpdatedBody: 'Mail from {{email}} now ends with "{{name}}" (set by {{provider}}).',
    disclaimerRemovedTitle: 'E-mail disclaimer removed',
    disclaimerRemovedBody: '{{provider}} no longer sets a disclaimer for {{email}}; it was taken out of your signature.',
    newMessageTitle: 'New message',
    newMessageBody_one: '{{count}} new message from your certificate provider.',
    newMessageBody_other: '{{count}} new messages from your certificate provider.',
    passwordTitle: 'Password expires soon',
    passwordSoonBody_one:
      'Your password for {{provider}} / {{service}}{{user}} expires in {{count}} day. Change it in the agent window.',
    passwordSoonBody_other:
      'Your password for {{provider}} / {{service}}{{user}} expires in {{count}} days. Change it in the agent window.',
    passwordTodayBody: 'Your password for {{provider}} / {{service}}{{user}} expires today. Change it in the agent window.',
    passwordExpiredBody: 'Your password for {{provider}} / {{service}}{{user}} has expired. Change it in the agent window.',
  },
  signIn: { title: 'Sign in – KeyTalk Agent' },
};
export type MainTextsResource = typeof en;
