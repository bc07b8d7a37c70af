import type { Translation } from '../../../app/model/languages';
import type { en } from './en';

/** Dutch texts of the main process (see en.ts). */
export const nl: Translation<typeof en> = {
  tray: {
    open: 'KeyTalk Agent openen',
    enroll: 'Aanvragen…',
    renew: 'Nu vernieuwen',
    messages: 'Berichten',
    messagesUnread_one: 'Berichten ({{count}} ongelezen)',
    messagesUnread_other: 'Berichten ({{count}} ongelezen)',
    supportBundle: 'Supportbundel maken',
    quit: 'Afsluiten',
  },
  tooltip: {
    working: 'bezig…',
    attention: 'actie nodig',
    error: 'fout',
    nextRenewal: 'volgende vernieuwing {{when}}',
    unread_one: '{{count}} ongelezen bericht',
    unread_other: '{{count}} ongelezen berichten',
  },
  notice: {
    issuedTitle: 'Certificaat klaar',
    issuedBody: '{{subject}} ({{provider}} / {{service}}) is geïnstalleerd.',
    failedTitle: 'Certificaataanvraag mislukt',
    pendingTitle: 'Wacht op goedkeuring',
    pendingBody: 'De aanvraag voor {{service}} moet worden goedgekeurd; dit wordt later opnieuw gecontroleerd.',
    renewedTitle: 'Certificaat vernieuwd',
    renewedBody: '{{what}} ({{provider}} / {{service}}) is vernieuwd; geldig tot {{until}}.',
    disclaimerUpdatedTitle: 'E-maildisclaimer bijgewerkt',
    disclaimerUpdatedBody: 'E-mail van {{email}} eindigt nu met "{{name}}" (ingesteld door {{provider}}).',
    disclaimerRemovedTitle: 'E-maildisclaimer verwijderd',
    disclaimerRemovedBody: '{{provider}} stelt geen disclaimer meer in voor {{email}}; die is uit uw handtekening gehaald.',
    newMessageTitle: 'Nieuw bericht',
    newMessageBody_one: '{{count}} nieuw bericht van uw certificaatprovider.',
    newMessageBody_other: '{{count}} nieuwe berichten van uw certificaatprovider.',
    passwordTitle: 'Wachtwoord verloopt binnenkort',
    passwordSoonBody_one:
      'Uw wachtwoord voor {{provider}} / {{service}}{{user}} verloopt over {{count}} dag. Wijzig het in het venster van de agent.',
    passwordSoonBody_other:
      'Uw wachtwoord voor {{provider}} / {{service}}{{user}} verloopt over {{count}} dagen. Wijzig het in het venster van de agent.',
    passwordTodayBody:
      'Uw wachtwoord voor {{provider}} / {{service}}{{user}} verloopt vandaag. Wijzig het in het venster van de agent.',
    passwordExpiredBody:
      'Uw wachtwoord voor {{provider}} / {{service}}{{user}} is verlopen. Wijzig het in het venster van de agent.',
  },
  signIn: { title: 'Aanmelden – KeyTalk Agent' },
};
