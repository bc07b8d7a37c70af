import type { invite as en } from '../en/invite';
import type { Translation } from '../../../../app/model/languages';

/** Dutch texts of the Invite page (see en/invite.ts). */
export const invite: Translation<typeof en> = {
  selfService: {
    title: 'Uitnodigen',
    intro:
      'Nodig mensen buiten uw organisatie uit om een S/MIME-certificaat van KeyTalk te krijgen (Self-Service), zodat u ondertekende en versleutelde e-mail met hen kunt uitwisselen.',
    noProvider: 'Importeer eerst uw provider en vraag een certificaat aan voor uw S/MIME-dienst (pagina Aanvragen).',
    provider: 'Provider',
    orders: 'Bestellingen plaatsen bij de CA in plaats van nu certificaten uit te geven (GlobalSign PersonalSign-diensten)',
    check: 'Opnieuw controleren',
    checking: 'Controleren of u ontvangers mag uitnodigen…',
    available: 'U mag ontvangers uitnodigen. Uw certificaat: {{subject}}',
    mobileRequired: 'De server stuurt het certificaatwachtwoord per sms: voor elke ontvanger is een mobiel nummer nodig.',
    unavailable: 'Ontvangers uitnodigen is niet mogelijk:',
    recipients: 'Ontvangers',
    recipient: 'Ontvanger {{n}}',
    email: 'E-mailadres van ontvanger {{n}}',
    mobile: 'Mobiel nummer van ontvanger {{n}} (optioneel)',
    mobileNeeded: 'Mobiel nummer van ontvanger {{n}}',
    add: 'Nog een ontvanger toevoegen',
    remove: 'Ontvanger {{n}} verwijderen',
    submit: 'Uitnodigingen versturen',
    sending: 'Versturen…',
    badEmail: '"{{value}}" is geen e-mailadres.',
    badMobile: '"{{value}}" is geen mobiel nummer; gebruik de internationale notatie, zoals +31612345678.',
    missingMobile: 'Voor {{email}} is een mobiel nummer nodig.',
    duplicate: '{{email}} staat er twee keer in.',
    resultTitle: 'Resultaat',
    issued: '{{email}}: certificaat uitgegeven; de downloadlink is per e-mail verstuurd.',
    ordered: '{{email}}: bestelling {{order}} geplaatst bij de CA.',
    failedOne: '{{email}}: mislukt ({{why}}).',
    failedNoReason: '{{email}}: mislukt.',
    skippedOne: '{{email}}: overgeslagen, omdat een eerdere ontvanger is mislukt.',
    done: 'Uitnodigingen verstuurd: {{ok}} van {{total}} gelukt',
  },
};
