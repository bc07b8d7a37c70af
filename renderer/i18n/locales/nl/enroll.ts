import type { enroll as en } from '../en/enroll';
import type { Translation } from '../../../../app/model/languages';

/** Dutch texts of the Enroll page and the Online CA form (see en/enroll.ts). */
export const enroll: Translation<typeof en> = {
  enroll: {
    title: 'Aanvragen',
    firstRun:
      'Welkom. Importeer om te beginnen het configuratiebestand (.rccd) dat u van uw organisatie hebt gekregen, of voeg een Online CA toe via het webadres.',
    importTitle: 'Een providerconfiguratie importeren',
    pickFile: 'Kies een .rccd-bestand',
    dropHere: 'of sleep het hierheen',
    importing: 'Importeren…',
    imported: 'Provider {{name}} geïmporteerd',
    confirmTitle: 'Dit configuratiebestand staat alleen voor zichzelf in',
    confirmIntro:
      'Niemand die de agent al vertrouwt heeft het ondertekend, en de servercertificaten erin bepalen waar uw wachtwoord heen gaat. Importeer het alleen als het van uw KeyTalk-beheerder komt, via een kanaal dat u vertrouwt.',
    confirmImport: 'Toch importeren',
    confirmCancel: 'Niet importeren',
    providers: 'Providers',
    logoAlt: 'Logo van {{name}}',
    service: 'Dienst',
    start: 'Certificaat aanvragen',
    chooseService: 'Kies een dienst',
    advanced: 'Geavanceerd',
    format: 'Formaat van het certificaatpakket',
    formatAuto: 'Automatisch (aanbevolen)',
    csrMode: 'De sleutel op deze computer aanmaken (CSR)',
    outOfBand: 'Het certificaat apart downloaden (out-of-band)',
  },
  onlineCa: {
    title: 'Een Online CA toevoegen',
    intro: 'Een Online CA geeft certificaten rechtstreeks uit via zijn webadres. Uw CA-beheerder geeft u het adres.',
    name: 'Naam',
    nameHint: 'Hoe de provider hier wordt getoond, bijv. "Research CA".',
    url: 'URL van de Online CA',
    urlHint: 'Begint met https://, bijv. https://ca.example.org/onlineca/',
    pin: 'Vastgelegde CA-vingerafdruk (SHA-256, optioneel)',
    pinHint:
      'Als uw CA-beheerder u er een heeft gegeven, controleert de agent de server daarmee en hoeft u de CA niet te bevestigen. Dubbele punten en spaties mogen.',
    renewPercent: 'Vernieuwen als minder dan dit percentage van de looptijd over is',
    renewHint: 'Een geheel getal van 1 tot 99; 10, tenzij uw beheerder iets anders zegt.',
    submit: 'Online CA toevoegen',
    adding: 'Toevoegen…',
    kind: 'Online CA',
    added: 'Online CA {{name}} toegevoegd. Kies daar "Certificaat aanvragen" om een certificaat aan te vragen.',
    nameMissing: 'Voer een naam in voor deze provider.',
    nameInvalid:
      'Gebruik maximaal 80 letters, cijfers, spaties, ".", "_" of "-", beginnend met een letter of cijfer, zonder ".." en niet eindigend op een spatie of punt.',
    nameTaken: 'Er bestaat al een provider met de naam {{name}}; kies een andere naam of verwijder die provider in Instellingen.',
    urlMissing: 'Voer de service-URL in die u van uw CA-beheerder hebt gekregen.',
    urlInvalid: 'Dit is geen webadres; het moet eruitzien als https://ca.example.org/onlineca/.',
    urlNotHttps: 'Het adres moet beginnen met https:// (de Online CA is alleen via HTTPS bereikbaar).',
    urlCredentials:
      'Laat gebruikersnaam en wachtwoord weg uit het adres; daarnaar wordt gevraagd wanneer u een certificaat aanvraagt.',
    pinInvalid:
      'Een SHA-256-vingerafdruk bestaat uit 64 hexadecimale tekens (0-9, A-F; dubbele punten en spaties toegestaan). Kopieer hem opnieuw van uw CA-beheerder.',
    renewInvalid: 'Voer een geheel getal van 1 tot 99 in.',
  },
};
