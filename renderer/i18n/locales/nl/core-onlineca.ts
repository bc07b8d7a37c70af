import type { Translation } from '../../../../app/model/languages';
import type { onlineca as en } from '../en/core-onlineca';

/** Dutch Online CA texts of the core (see en/core-onlineca.ts). */
export const onlineca: Translation<typeof en> = {
  rejected: 'De Online CA heeft gebruiker {{user}} geweigerd: verkeerde gebruikersnaam of wachtwoord voor {{realm}}.',
  'rejected-final':
    'De Online CA heeft gebruiker {{user}} voor {{realm}} geweigerd. Controleer de gebruikersnaam en het wachtwoord en probeer het opnieuw.',
  'username-colon': 'De gebruikersnaam {{user}} bevat een ":", en die kan de Online CA niet verwerken.',
  'username-required': 'Vul een gebruikersnaam voor de Online CA in.',
  busy: 'De Online CA op {{host}} is bezet. Probeer het later opnieuw.',
  'server-error':
    'De Online CA op {{host}} had een serverfout. Probeer het later opnieuw en meld het bij de beheerder van de CA als het blijft gebeuren.',
  'not-processed':
    'De Online CA op {{host}} kon de certificaataanvraag niet verwerken: de server verwacht een andere indeling. Meld het, met het logboek van de agent.',
  'unexpected-status':
    'De Online CA op {{host}} gaf een onverwacht antwoord (HTTP {{status}}). Meld het, met het logboek van de agent.',
  'server-says': '{{problem}}. De Online CA meldt: {{text}}',
  'bad-certificate':
    'De Online CA stuurde een certificaat dat de agent niet kan accepteren; er is niets opgeslagen. Meld het, met het logboek van de agent.',
  'not-chained':
    'Het certificaat van de Online CA sluit niet aan op haar vertrouwde basiscertificaten; er is niets opgeslagen. Neem contact op met de beheerder van de CA.',
  'no-trust-roots':
    'De Online CA-provider {{name}} heeft geen bruikbare basiscertificaten. Vraag opnieuw een certificaat aan om ze op te halen.',
  'trust-roots-status':
    'De Online CA op {{host}} beantwoordde de vraag om basiscertificaten met HTTP {{status}}. Controleer het adres {{url}}.',
  'trust-roots-bad': 'De basiscertificaten van {{host}} zijn onleesbaar; er is niets opgeslagen.',
  'roots-not-vouching':
    'De basiscertificaten van {{host}} staan niet in voor het eigen beveiligingscertificaat van de server en zijn daarom geweigerd.',
  'pin-mismatch':
    'De Online CA op {{host}} komt niet overeen met de vastgelegde vingerafdruk {{pinned}}: haar keten loopt via {{actual}}. Er is niets vertrouwd; controleer de vingerafdruk met de beheerder van de CA.',
  'trust-not-confirmed': 'Het vertrouwen in de Online CA op {{host}} is niet bevestigd; er is niets opgeslagen.',
  'needs-trust': 'de Online CA wordt nog niet vertrouwd; vraag er zelf één keer een certificaat aan',
  'needs-password':
    'de Online CA heeft een wachtwoord nodig dat niet is onthouden; vraag zelf één keer een certificaat aan en laat het wachtwoord onthouden',
};
