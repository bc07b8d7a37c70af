import type { shell as en } from '../en/shell';
import type { Translation } from '../../../../app/model/languages';

/** Dutch texts of the window frame (see en/shell.ts). */
export const shell: Translation<typeof en> = {
  appName: 'KeyTalk Agent',
  nav: {
    label: 'Hoofdmenu',
    certificates: 'Certificaten',
    enroll: 'Aanvragen',
    messages: 'Berichten',
    invite: 'Uitnodigen',
    settings: 'Instellingen',
    unread_one: '{{count}} ongelezen',
    unread_other: '{{count}} ongelezen',
  },
  status: {
    label: 'Status van de agent',
    idle: 'Gereed',
    working: 'Bezig…',
    attention: 'Actie nodig',
    attentionFlow: 'Er wacht iets op uw antwoord.',
    attentionEnroll: 'Een nieuw certificaat voor {{provider}} / {{service}} wacht op uw antwoord.',
    attentionRenew: 'De vernieuwing van {{provider}} / {{service}} wacht op uw antwoord.',
    attentionPasswordChange: 'Uw wachtwoordwijziging voor {{provider}} / {{service}} wacht op uw antwoord.',
    attentionGo: 'Tonen',
    error: 'Fout',
    connecting: 'Verbinden met de agent…',
    disconnected: 'Niet verbonden',
    nextRenewal: 'Volgende vernieuwing {{when}}',
    autoEnroll: 'Uw organisatie vraagt u {{provider}} / {{service}} aan te vragen: open Aanvragen en meld u één keer aan.',
    home: 'Map: {{dir}}',
  },
  common: {
    cancel: 'Annuleren',
    continue: 'Doorgaan',
    close: 'Sluiten',
    dismiss: 'Sluiten',
    remove: 'Verwijderen',
    failed: '{{what}} is mislukt',
  },
  bridge: {
    lost: 'De verbinding met de agent is verbroken. Start de agent opnieuw en open de link die hij toont.',
    noToken:
      'Deze pagina is geopend zonder toegangssleutel. Open de link die de agent bij het starten toonde (die eindigt op #token=…).',
    refused:
      'De agent heeft deze pagina geweigerd of de verbinding verbroken. Open de link die de agent bij de laatste start toonde; een oudere link werkt niet meer.',
  },
  messages: {
    title: 'Berichten',
    empty: 'Geen berichten van uw providers.',
    markRead: 'Markeren als gelezen',
    markAllRead: 'Alles markeren als gelezen',
    unread: 'Ongelezen',
    from: '{{provider}}, {{when}}',
  },
  popup: {
    login: 'Aanmelden om te vernieuwen',
    mfa: 'Aanmelden met meerdere factoren',
    disclaimer: 'E-maildisclaimer',
    'unattended-renewal': 'Certificaat vernieuwen',
    renewNow: 'Nu vernieuwen',
    later: 'Later',
  },
};
