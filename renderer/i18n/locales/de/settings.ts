import type { settings as en } from '../en/settings';
import type { Translation } from '../../../../app/model/languages';

/** German texts of the Settings page (see en/settings.ts). */
export const settings: Translation<typeof en> = {
  settings: {
    title: 'Einstellungen',
    managed: 'Von Ihrer Organisation verwaltet',
    general: 'Allgemein',
    autostart: 'KeyTalk Agent bei der Anmeldung starten',
    openServiceUris:
      'Webseiten und Programme des Dienstes öffnen, nachdem ein Zertifikat ausgestellt wurde, wenn der Server dies verlangt',
    logLevel: 'Protokollstufe',
    logLevels: { error: 'Nur Fehler', warn: 'Warnungen und Fehler', info: 'Normal', debug: 'Ausführlich (für den Helpdesk)' },
    theme: 'Design',
    themes: { system: 'Wie das System', light: 'Hell', dark: 'Dunkel' },
    language: 'Sprache',
    languageSystem: 'Systemstandard ({{language}})',
    storesTable: 'Wo Zertifikate gespeichert werden',
    storeLast: 'der einzige verwendete Speicher; schalten Sie zuerst einen anderen ein',
    storeUnavailable: 'nicht verfügbar: {{why}}',
    storeUsedBy: 'Verwendet von: {{programs, list}}',
    saved: 'Einstellungen gespeichert',
    providers: 'Anbieter',
    noProviders: 'Keine Anbieter importiert.',
    removeProvider: 'Anbieter {{name}} entfernen',
    providerRemoved: 'Anbieter {{name}} entfernt',
    about: 'Über',
    version: 'Version {{version}}',
    license: 'Lizenziert unter der Apache License 2.0',
    licenseIs: 'Lizenz: {{license}}',
    versions: 'Versionen',
    node: 'Node.js',
    electron: 'Electron',
    chrome: 'Chromium',
    rcdp: 'Versionen des RCDP-Protokolls',
    logs: 'Protokolle',
    openLogs: 'Protokollordner öffnen',
    logsOpened: '{{path}} geöffnet',
    logsAt: 'Die Protokolle liegen in {{path}}',
  },
  mfaAccounts: {
    title: 'Mehrstufige Anmeldungen',
    intro:
      'Konten, die dieser Agent bei Ihrem Identitätsanbieter angemeldet hält, damit Zertifikate ohne Nachfrage erneuert werden. Melden Sie sich ab, um die gespeicherte Anmeldung zu entfernen; bei der nächsten Erneuerung werden Sie erneut zur Anmeldung aufgefordert.',
    at: 'Bei {{authority}}',
    signOut: 'Abmelden',
    signOutOf: '{{username}} bei {{authority}} abmelden',
    endsIdpSession: 'Beim Abmelden wird auch die Abmeldeseite des Identitätsanbieters geöffnet.',
    signedOut: '{{username}} abgemeldet',
  },
};
