import type { shell as en } from '../en/shell';
import type { Translation } from '../../../../app/model/languages';

/** German texts of the window frame (see en/shell.ts). */
export const shell: Translation<typeof en> = {
  appName: 'KeyTalk Agent',
  nav: {
    label: 'Hauptmenü',
    certificates: 'Zertifikate',
    enroll: 'Beantragen',
    messages: 'Nachrichten',
    invite: 'Einladen',
    settings: 'Einstellungen',
    unread_one: '{{count}} ungelesen',
    unread_other: '{{count}} ungelesen',
  },
  status: {
    label: 'Status des Agenten',
    idle: 'Bereit',
    working: 'Wird ausgeführt…',
    attention: 'Aktion erforderlich',
    attentionFlow: 'Etwas wartet auf Ihre Antwort.',
    attentionEnroll: 'Ein neues Zertifikat für {{provider}} / {{service}} wartet auf Ihre Antwort.',
    attentionRenew: 'Die Erneuerung von {{provider}} / {{service}} wartet auf Ihre Antwort.',
    attentionPasswordChange: 'Ihre Passwortänderung für {{provider}} / {{service}} wartet auf Ihre Antwort.',
    attentionGo: 'Anzeigen',
    error: 'Fehler',
    connecting: 'Verbindung zum Agenten wird hergestellt…',
    disconnected: 'Nicht verbunden',
    nextRenewal: 'Nächste Erneuerung {{when}}',
    autoEnroll:
      'Ihre Organisation bittet Sie, {{provider}} / {{service}} zu beantragen: Öffnen Sie Beantragen und melden Sie sich einmal an.',
    home: 'Ordner: {{dir}}',
  },
  common: {
    cancel: 'Abbrechen',
    continue: 'Weiter',
    close: 'Schließen',
    dismiss: 'Ausblenden',
    remove: 'Entfernen',
    failed: '{{what}} fehlgeschlagen',
  },
  bridge: {
    lost: 'Die Verbindung zum Agenten wurde unterbrochen. Starten Sie den Agenten neu und öffnen Sie den Link, den er ausgibt.',
    noToken:
      'Diese Seite wurde ohne ihren Zugangsschlüssel geöffnet. Öffnen Sie den Link, den der Agent beim Start ausgegeben hat (er endet auf #token=…).',
    refused:
      'Der Agent hat diese Seite abgelehnt oder die Verbindung getrennt. Öffnen Sie den Link, den der Agent beim letzten Start ausgegeben hat; ein älterer Link funktioniert nicht mehr.',
  },
  messages: {
    title: 'Nachrichten',
    empty: 'Keine Nachrichten von Ihren Anbietern.',
    markRead: 'Als gelesen markieren',
    markAllRead: 'Alle als gelesen markieren',
    unread: 'Ungelesen',
    from: '{{provider}}, {{when}}',
  },
  popup: {
    login: 'Zum Erneuern anmelden',
    mfa: 'Mehrstufige Anmeldung',
    disclaimer: 'E-Mail-Disclaimer',
    'unattended-renewal': 'Zertifikatserneuerung',
    renewNow: 'Jetzt erneuern',
    later: 'Später',
  },
};
