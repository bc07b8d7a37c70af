import type { Translation } from '../../../../app/model/languages';
import type { core as en } from '../en/core';
import { doctor } from './core-doctor';
import { onlineca } from './core-onlineca';
import { renewal } from './core-renewal';
import { step } from './core-steps';

/** Dutch sentences for the core's error and warning codes (see en/core.ts). */
export const core: Translation<typeof en> = {
  core: {
    auth: {
      rejected: 'De KeyTalk-server heeft de gebruikersnaam of het wachtwoord geweigerd. Controleer ze en probeer het opnieuw.',
      'rejected-final': 'De KeyTalk-server heeft de aanmeldgegevens geweigerd. Probeer het opnieuw met de juiste gegevens.',
      'rejected-final-wait':
        'De KeyTalk-server heeft de aanmeldgegevens geweigerd. Wacht {{seconds}} en probeer het dan opnieuw met de juiste gegevens.',
      'rejected-remembered':
        'De KeyTalk-server heeft het onthouden wachtwoord geweigerd; het is niet opnieuw verstuurd. Meld u aan om het certificaat te vernieuwen.',
      'rejected-hwsig':
        'De KeyTalk-server heeft de hardwarehandtekening van dit apparaat geweigerd. Neem contact op met uw beheerder.',
      locked: 'Uw account is geblokkeerd op de KeyTalk-server. Probeer het later opnieuw of neem contact op met uw beheerder.',
      'locked-for':
        'Uw account is nog {{seconds}} geblokkeerd op de KeyTalk-server. Probeer het later opnieuw of neem contact op met uw beheerder.',
      'seat-locked': 'Deze seat is geblokkeerd op de KeyTalk-server. Neem contact op met uw beheerder.',
      'expired-unattended': 'Uw wachtwoord is verlopen. Meld u zelf aan om het te wijzigen; automatisch vernieuwen kan dat niet.',
      'change-refused':
        'De server heeft de wachtwoordwijziging geweigerd: het oude wachtwoord klopt niet of het nieuwe voldoet niet aan de wachtwoordregels.',
      'change-refused-final': 'De wachtwoordwijziging is te vaak geweigerd. Probeer het later opnieuw.',
    },
    network: {
      refused: '{{host}} weigerde de verbinding. Draait de server en klopt het adres in het providerbestand?',
      'not-found': '{{host}} is niet gevonden. Controleer uw netwerkverbinding.',
      reset: '{{host}} heeft de verbinding verbroken. Probeer het zo opnieuw.',
      unreachable: '{{host}} is niet bereikbaar. Controleer uw netwerkverbinding.',
      broke: 'De verbinding met {{host}} is verbroken. Probeer het zo opnieuw.',
      'connect-timeout': '{{host}} antwoordde niet op tijd. Controleer uw netwerkverbinding of probeer het later opnieuw.',
      stalled: '{{host}} antwoordt te traag. Probeer het later opnieuw.',
    },
    tls: {
      expired:
        'Het beveiligingscertificaat van {{host}} is verlopen. Neem contact op met uw beheerder; de agent maakt geen verbinding.',
      'not-yet-valid':
        'Het beveiligingscertificaat van {{host}} is nog niet geldig. Controleer de datum en tijd van uw computer.',
      'wrong-host': 'Het beveiligingscertificaat van {{host}} staat op een andere naam. Neem contact op met uw beheerder.',
      'unknown-ca':
        'Het beveiligingscertificaat van {{host}} komt niet van een CA die deze provider vertrouwt. Importeer het providerbestand opnieuw of neem contact op met uw beheerder.',
      'self-signed':
        'Het beveiligingscertificaat van {{host}} is door zichzelf ondertekend en wordt niet vertrouwd. Neem contact op met uw beheerder.',
      revoked: 'Het beveiligingscertificaat van {{host}} is ingetrokken. Neem contact op met uw beheerder.',
      'not-server-certificate':
        '{{host}} toonde een certificaat dat niet voor een server bedoeld is. Neem contact op met uw beheerder.',
      'bad-certificate': 'Het beveiligingscertificaat van {{host}} is onleesbaar. Neem contact op met uw beheerder.',
      handshake: 'Er kon geen beveiligde verbinding met {{host}} worden opgezet. Neem contact op met uw beheerder.',
    },
    rccd: {
      unsigned: 'De beschrijving (v1-manifest) is niet ondertekend.',
      'self-vouched':
        'De beschrijving (v1-manifest) is alleen ondertekend door een CA die het bestand zelf meebrengt; de handtekening laat dus niet zien wie het heeft gemaakt.',
      'not-rccd': '{{file}} is geen KeyTalk-providerbestand (.rccd). Kies het bestand dat u van uw beheerder kreeg.',
      unsafe: '{{file}} is geweigerd: het archief bevat onveilige onderdelen. Vraag uw beheerder om een nieuw exemplaar.',
      damaged: '{{file}} is beschadigd of onvolledig en is niet geïmporteerd. Vraag uw beheerder om een nieuw exemplaar.',
      'too-large': '{{file}} is te groot om te importeren. Vraag uw beheerder om een kleiner providerbestand.',
      'not-newer':
        'Provider "{{name}}" heeft al versie {{installed}}; dit bestand heeft versie {{offered}}, die niet nieuwer is. Er is niets gewijzigd.',
      'onlineca-exists':
        'Er bestaat al een Online CA-provider met de naam "{{name}}". Verwijder die eerst via Instellingen → Providers.',
    },
    repaired: {
      settings:
        'Uw instellingen bevatten op {{at}} ongeldige waarden ({{problem}}). De standaardwaarden worden gebruikt; het origineel is bewaard in {{path}}.',
      provider: '{{file}} bleek op {{at}} beschadigd en is verplaatst naar {{path}}. Importeer het providerbestand opnieuw.',
      file: '{{file}} bleek op {{at}} beschadigd en is verplaatst naar {{path}}. De agent heeft hersteld wat kon.',
    },
    policy: {
      locked: '{{what}} wordt beheerd door uw organisatie (beleid "{{key}}") en kan hier niet worden gewijzigd.',
      'unknown-key': 'Het beleid {{source}} bevat een onbekende instelling "{{key}}"; die wordt genegeerd.',
      'bad-value': 'Het beleid {{source}} bevat een ongeldige "{{key}}" ({{problem}}); die wordt genegeerd.',
      'not-object': 'Het beleid {{source}} is geen lijst met instellingen; het wordt genegeerd.',
      unreadable: 'Het beleid {{source}} kon niet worden gebruikt en wordt genegeerd. Details: {{problem}}',
      provisioning: 'Een provider die uw organisatie aanbiedt, kon niet worden geïmporteerd of bijgewerkt. Details: {{problem}}',
      'system-store-refused':
        'De server vroeg dit certificaat in de certificaatopslag van de computer te plaatsen, maar het beleid van uw organisatie staat die opslag niet toe. Het is in plaats daarvan in uw eigen certificaatopslag geplaatst ({{stores}}).',
    },
    store: {
      'system-not-admin': 'de agent draait niet als beheerder en kan daarom niet naar de opslag LocalMachine\\My schrijven',
      'system-not-root': 'de agent draait niet als root en kan daarom niet naar de systeemsleutelhanger schrijven',
      'system-not-writable': 'de agent mag niet schrijven in {{dir}} (start hem als root om de systeemopslag te gebruiken)',
      'system-none': 'deze agent kent op dit platform geen certificaatopslag voor de computer',
      'system-unattended':
        'De server wil dit certificaat in de systeemopslag van de computer bewaren, maar {{reason}}. Vernieuw het zelf, of start de agent met beheerdersrechten.',
      'system-declined':
        'De server wil dit certificaat in de systeemopslag van de computer bewaren, maar {{reason}}. U hebt ervoor gekozen uw eigen opslag niet te gebruiken: start de agent als beheerder (root) en vraag het certificaat opnieuw aan.',
      'none-selected': 'Er is geen opslag gekozen voor het certificaat. Schakel in Instellingen minstens één opslag in.',
      'cannot-take': 'De opslag {{store}} kan geen certificaat opnemen: {{reason}}. Er is niets bij de server aangevraagd.',
      'nss-old-format':
        'dit profiel gebruikt nog de oude indeling van de certificaatdatabase; start Firefox of Thunderbird er één keer mee',
      'nss-no-database': 'er is nog geen certificaatdatabase; start de toepassing één keer met dit profiel',
      'not-writable': 'in de map {{dir}} kan niet worden geschreven',
      'system-ca-tool-missing': 'het systeemprogramma om vertrouwde CA’s bij te werken ontbreekt; installeer ca-certificates',
    },
    disk: {
      full: 'De schijf is vol. Maak ruimte vrij en probeer het opnieuw; er is niets half weggeschreven.',
      quota: 'Uw schijfquotum is op. Maak ruimte vrij en probeer het opnieuw; er is niets half weggeschreven.',
      'read-only':
        'De schijf is alleen-lezen. Maak de map van de agent beschrijfbaar en probeer het opnieuw; er is niets half weggeschreven.',
    },
    home: {
      busy: 'Een ander KeyTalk Agent-proces werkt met dezelfde bestanden. Probeer het zo opnieuw.',
      'not-writable':
        'De agent kan niet schrijven in zijn map {{dir}}. Controleer de rechten en de vrije schijfruimte, of vraag het uw beheerder.',
    },
    flow: { cancelled: 'De aanvraag is geannuleerd.' },
    renewal,
    step,
    onlineca,
    doctor,
    provider: {
      exists: 'Er bestaat al een provider met de naam "{{name}}". Kies een andere naam of verwijder eerst die provider.',
    },
    smime: {
      unavailable: 'S/MIME-certificaten voor externe ontvangers zijn voor u niet beschikbaar.',
      'orders-unavailable': 'S/MIME-certificaten bestellen is voor u niet beschikbaar.',
      'not-enabled':
        'Uw KeyTalk-account is niet ingeschakeld voor selfservice. Vraag uw KeyTalk-beheerder om dit in te schakelen.',
      'not-smime': 'Het gebruikte certificaat is geen S/MIME-certificaat. Vraag eerst uw S/MIME-certificaat aan.',
      'cert-invalid': 'Uw certificaat is niet meer geldig. Vernieuw het en probeer het opnieuw.',
      'no-smtp':
        'De KeyTalk-server kan geen e-mail versturen (SMTP is niet ingesteld). Neem contact op met uw KeyTalk-beheerder.',
      'orders-personalsign':
        'Bestellen kan alleen bij diensten die aan GlobalSign PersonalSign gekoppeld zijn. Zet “Bestellingen plaatsen bij de CA” uit en probeer het opnieuw.',
      licence: 'De KeyTalk-licentie staat geen extra certificaten toe. Neem contact op met uw KeyTalk-beheerder.',
      'cannot-check': 'Kon niet controleren of uitnodigen mogelijk is: {{reason}}',
      'no-email':
        'Uw certificaat heeft geen e-mailadres en kan u dus niet identificeren voor selfservice. Gebruik uw S/MIME-certificaat.',
      expired: 'Uw certificaat is verlopen op {{at}}. Vernieuw het eerst.',
      'mobile-required':
        'De server heeft voor elke ontvanger een mobiel nummer nodig (het certificaatwachtwoord gaat per sms). Vul er een in voor {{emails}}.',
      'several-providers':
        'U hebt S/MIME-certificaten van meerdere providers ({{providers}}). Kies de provider van waaruit u wilt uitnodigen.',
      'no-certificate': 'De agent heeft geen geldig S/MIME-certificaat met privésleutel. Vraag eerst uw S/MIME-certificaat aan.',
      'no-recipients': 'Voeg ten minste één ontvanger toe.',
      'not-accepted':
        'De KeyTalk-server heeft uw certificaat niet geaccepteerd als selfservicegebruiker. Vernieuw het of vraag het uw KeyTalk-beheerder.',
      'recipients-refused': 'De KeyTalk-server heeft de ontvangers geweigerd. Controleer de e-mailadressen en mobiele nummers.',
    },
    // The server's own words (a popup template, a reason) cannot be translated: this frame says whose they are.
    server: { says: 'De KeyTalk-server meldt: {{text}}' },
  },
};
