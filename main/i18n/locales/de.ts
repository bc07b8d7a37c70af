import type { Translation } from '../../../app/model/languages';
import type { en } from './en';

/** German texts of the main process (see en.ts). */
export const de: Translation<typeof en> = {
  tray: {
    open: 'KeyTalk Agent öffnen',
    enroll: 'Beantragen…',
    renew: 'Jetzt erneuern',
    messages: 'Nachrichten',
    messagesUnread_one: 'Nachrichten ({{count}} ungelesen)',
    messagesUnread_other: 'Nachrichten ({{count}} ungelesen)',
    supportBundle: 'Support-Paket erstellen',
    quit: 'Beenden',
  },
  tooltip: {
    working: 'wird ausgeführt…',
    attention: 'Aktion erforderlich',
    error: 'Fehler',
    nextRenewal: 'nächste Erneuerung {{when}}',
    unread_one: '{{count}} ungelesene Nachricht',
    unread_other: '{{count}} ungelesene Nachrichten',
  },
  notice: {
    issuedTitle: 'Zertifikat bereit',
    issuedBody: '{{subject}} ({{provider}} / {{service}}) ist installiert.',
    failedTitle: 'Zertifikatsantrag fehlgeschlagen',
    pendingTitle: 'Warten auf Genehmigung',
    pendingBody: 'Der Antrag für {{service}} muss genehmigt werden; er wird später erneut geprüft.',
    renewedTitle: 'Zertifikat erneuert',
    renewedBody: '{{what}} ({{provider}} / {{service}}) wurde erneuert; gültig bis {{until}}.',
    disclaimerUpdatedTitle: 'E-Mail-Disclaimer aktualisiert',
    disclaimerUpdatedBody: 'E-Mails von {{email}} enden jetzt mit „{{name}}“ (festgelegt von {{provider}}).',
    disclaimerRemovedTitle: 'E-Mail-Disclaimer entfernt',
    disclaimerRemovedBody: '{{provider}} legt für {{email}} keinen Disclaimer mehr fest; er wurde aus Ihrer Signatur entfernt.',
    newMessageTitle: 'Neue Nachricht',
    newMessageBody_one: '{{count}} neue Nachricht von Ihrem Zertifikatsanbieter.',
    newMessageBody_other: '{{count}} neue Nachrichten von Ihrem Zertifikatsanbieter.',
    passwordTitle: 'Passwort läuft bald ab',
    passwordSoonBody_one:
      'Ihr Passwort für {{provider}} / {{service}}{{user}} läuft in {{count}} Tag ab. Ändern Sie es im Fenster des Agenten.',
    passwordSoonBody_other:
      'Ihr Passwort für {{provider}} / {{service}}{{user}} läuft in {{count}} Tagen ab. Ändern Sie es im Fenster des Agenten.',
    passwordTodayBody:
      'Ihr Passwort für {{provider}} / {{service}}{{user}} läuft heute ab. Ändern Sie es im Fenster des Agenten.',
    passwordExpiredBody:
      'Ihr Passwort für {{provider}} / {{service}}{{user}} ist abgelaufen. Ändern Sie es im Fenster des Agenten.',
  },
  signIn: { title: 'Anmelden – KeyTalk Agent' },
};
