import type { flow as en } from '../en/flow';
import type { Translation } from '../../../../app/model/languages';

/** Dutch texts of a running enrollment (see en/flow.ts). */
export const flow: Translation<typeof en> = {
  flow: {
    title: 'Aanmelden',
    remember: 'Onthouden op deze computer (nodig voor automatisch vernieuwen)',
    rememberUnprotected:
      'Er is geen sleutelbos van het bureaublad beschikbaar, dus een onthouden wachtwoord wordt zonder echte bescherming opgeslagen (met een vaste sleutel). Start eerst GNOME Keyring of KWallet, of laat dit uit.',
    rememberKeyFile:
      'Een onthouden wachtwoord wordt bewaard in een bestand dat alleen uw gebruikersaccount kan lezen, niet in een geheimenopslag van het besturingssysteem.',
    submit: 'Aanmelden',
    userId: 'Gebruikersnaam',
    password: 'Wachtwoord',
    pin: 'Pincode',
    otp: 'Eenmalig wachtwoord',
    response: 'Antwoord',
    challengeTitle: 'De server vraagt om meer informatie',
    otpTitle: 'Voer het eenmalige wachtwoord in',
    otpSentTo: 'Er is een eenmalig wachtwoord verstuurd naar {{to}}.',
    changePasswordTitle_expired: 'Uw wachtwoord is verlopen. Kies een nieuw wachtwoord.',
    changePasswordTitle_requested: 'Kies een nieuw wachtwoord.',
    oldPassword: 'Huidig wachtwoord',
    newPassword: 'Nieuw wachtwoord',
    confirmPassword: 'Bevestig het nieuwe wachtwoord',
    passwordsDiffer: 'De nieuwe wachtwoorden komen niet overeen.',
    changePassword: 'Wachtwoord wijzigen',
    approverTitle: 'Kies wie dit certificaat goedkeurt',
    certOptionsTitle: 'Gegevens van het certificaat',
    commonName: 'Algemene naam (CN)',
    givenName: 'Voornaam',
    surname: 'Achternaam',
    sanDomains: 'Domeinnamen (één per regel)',
    trustTitle: 'Eerste verbinding met de Online CA op {{host}}: deze CA vertrouwen?',
    trustWhy:
      'De agent heeft nog nooit met deze certificeringsinstantie gecommuniceerd en kan dus niet zelf controleren of dit de echte CA-certificaten zijn (vertrouwen bij eerste gebruik).',
    trustCompare:
      'Vergelijk de SHA-256-vingerafdrukken hieronder met die welke uw CA-beheerder heeft gepubliceerd, bijvoorbeeld op de website of in uw instructies.',
    trustIfMatch:
      'Komen ze overeen, kies dan "Deze CA vertrouwen": de agent bewaart deze certificaten en controleert elke volgende verbinding daarmee, zonder het opnieuw te vragen.',
    trustIfDiffer: 'Wijken ze af, kies dan Annuleren: er wordt niets opgeslagen, en mogelijk luistert iemand de verbinding af.',
    trustFingerprints: 'Certificeringsinstanties die de server aanbiedt',
    trustSubject: 'Certificeringsinstantie',
    trustSha256: 'SHA-256-vingerafdruk',
    trust: 'Deze CA vertrouwen',
    dontTrust: 'Annuleren',
    systemStoreTitle: 'De certificaatopslag van de computer kan niet worden gebruikt',
    systemStoreWhy:
      'De server van uw organisatie vraagt dit certificaat in de opslag van de computer (systeem) te zetten, maar {{reason}}.',
    systemStoreChoice:
      'U kunt het in plaats daarvan in uw eigen certificaatopslag zetten; programma’s die alleen de opslag van de computer lezen, vinden het dan niet. Of annuleer en vraag het opnieuw aan met beheerdersrechten.',
    useUserStore: 'Mijn eigen opslag gebruiken',
    cancelSystemStore: 'Annuleren',
    delay_zero: 'De server heeft de aanmelding geweigerd. U kunt het nu opnieuw proberen.',
    delay_one: 'De server heeft de aanmelding geweigerd. U kunt het over {{count}} s opnieuw proberen.',
    delay_other: 'De server heeft de aanmelding geweigerd. U kunt het over {{count}} s opnieuw proberen.',
    locked_zero: 'Te veel pogingen: het account is geblokkeerd. Neem contact op met uw beheerder.',
    locked_one: 'Te veel pogingen: het account is geblokkeerd. Probeer het over {{count}} s opnieuw.',
    locked_other: 'Te veel pogingen: het account is geblokkeerd. Probeer het over {{count}} s opnieuw.',
    submitted: 'Ingediend; opnieuw controleren over {{seconds}} s.',
    inProgress: 'Bezig; opnieuw controleren over {{seconds}} s.',
    mfa: 'Aanmelden met meerdere factoren ({{authority}}): {{state}}',
    issued: 'Certificaat uitgegeven: {{subject}}',
    pending: 'De aanvraag voor {{service}} wacht op goedkeuring.',
    failed: 'Aanvragen mislukt: {{message}}',
    passwordChanged: 'Wachtwoord gewijzigd voor {{who}}. Meld u voortaan aan met het nieuwe wachtwoord.',
  },
  password: {
    bannerTitle: 'Wachtwoord verloopt binnenkort',
    expiresSoon_one: 'Uw wachtwoord voor {{where}}{{user}} verloopt over {{count}} dag ({{date}}).',
    expiresSoon_other: 'Uw wachtwoord voor {{where}}{{user}} verloopt over {{count}} dagen ({{date}}).',
    expiresToday: 'Uw wachtwoord voor {{where}}{{user}} verloopt vandaag ({{date}}).',
    expired: 'Uw wachtwoord voor {{where}}{{user}} is verlopen ({{date}}).',
    change: 'Wachtwoord wijzigen',
    warnDays: 'Zoveel dagen voordat een wachtwoord verloopt waarschuwen',
  },
};
