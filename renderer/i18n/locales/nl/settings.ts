import type { settings as en } from '../en/settings';
import type { Translation } from '../../../../app/model/languages';

/** Dutch texts of the Settings page (see en/settings.ts). */
export const settings: Translation<typeof en> = {
  settings: {
    title: 'Instellingen',
    managed: 'Beheerd door uw organisatie',
    general: 'Algemeen',
    autostart: 'KeyTalk Agent starten wanneer ik me aanmeld',
    openServiceUris:
      'De webpagina’s en programma’s van de dienst openen nadat een certificaat is uitgegeven, als de server daarom vraagt',
    logLevel: 'Logniveau',
    logLevels: {
      error: 'Alleen fouten',
      warn: 'Waarschuwingen en fouten',
      info: 'Normaal',
      debug: 'Uitgebreid (voor de helpdesk)',
    },
    theme: 'Thema',
    themes: { system: 'Systeem volgen', light: 'Licht', dark: 'Donker' },
    language: 'Taal',
    languageSystem: 'Systeemstandaard ({{language}})',
    storesTable: 'Waar certificaten worden opgeslagen',
    storeLast: 'de enige opslag in gebruik; zet eerst een andere aan',
    storeUnavailable: 'niet beschikbaar: {{why}}',
    storeUsedBy: 'Gebruikt door: {{programs, list}}',
    saved: 'Instellingen opgeslagen',
    providers: 'Providers',
    noProviders: 'Geen providers geïmporteerd.',
    removeProvider: 'Provider {{name}} verwijderen',
    providerRemoved: 'Provider {{name}} verwijderd',
    about: 'Over',
    version: 'Versie {{version}}',
    license: 'Gelicentieerd onder de Apache License 2.0',
    licenseIs: 'Licentie: {{license}}',
    versions: 'Versies',
    node: 'Node.js',
    electron: 'Electron',
    chrome: 'Chromium',
    rcdp: 'Versies van het RCDP-protocol',
    logs: 'Logbestanden',
    openLogs: 'Logmap openen',
    logsOpened: '{{path}} geopend',
    logsAt: 'De logbestanden staan in {{path}}',
  },
  mfaAccounts: {
    title: 'Aanmeldingen met meerdere factoren',
    intro:
      'Accounts die deze agent aangemeld houdt bij uw identiteitsprovider, zodat certificaten zonder vragen worden vernieuwd. Meld af om de bewaarde aanmelding te verwijderen; bij de volgende vernieuwing wordt u gevraagd opnieuw aan te melden.',
    at: 'Bij {{authority}}',
    signOut: 'Afmelden',
    signOutOf: '{{username}} afmelden bij {{authority}}',
    endsIdpSession: 'Bij het afmelden wordt ook de afmeldpagina van de identiteitsprovider geopend.',
    signedOut: '{{username}} afgemeld',
  },
};
