import type { Translation } from '../../../../app/model/languages';
import type { doctor as en } from '../en/core-doctor';

/** Dutch detail lines of the connection test (see en/core-doctor.ts). */
export const doctor: Translation<typeof en> = {
  'no-provider':
    'Er is nog geen provider ingesteld. Importeer het providerbestand (RCCD) van uw organisatie of voeg een Online CA toe.',
  'stores-error': 'De certificaatopslagen kunnen niet worden geopend: {{problem}}',
  'home-ok': 'In de map van de agent {{home}} kan worden geschreven.',
  'home-fail': 'Kan niet schrijven in {{dir}} ({{problem}}). Controleer de rechten van de map of maak schijfruimte vrij.',
  'no-stores': 'Er is geen certificaatopslag ingeschakeld. Schakel er een in bij Instellingen.',
  'store-ok': '{{name}} ({{store}}) is klaar: {{location}}',
  'store-unavailable': '{{name}} ({{store}}) kan geen certificaat opnemen: {{reason}}',
  'store-error': '{{store}}: {{problem}}',
  'secret-none': 'Er is op deze computer geen veilige plek voor wachtwoorden, dus wachtwoorden kunnen niet worden onthouden.',
  'secret-ok-os': 'De wachtwoordopslag ({{kind}}) werkt en wordt beschermd door het besturingssysteem.',
  'secret-ok-file':
    'De wachtwoordopslag ({{kind}}) werkt; het is een sleutelbestand dat alleen u kunt lezen, minder veilig dan de sleutelbos van het systeem.',
  'secret-fail':
    'De wachtwoordopslag ({{kind}}) werkt niet: {{problem}}. Ontgrendel de sleutelbos of controleer de rechten van de map met geheimen van de agent.',
  'policy-warning': 'Beleid van uw organisatie: {{warning}}',
  'policy-ok': 'Het beleid van uw organisatie uit {{sources}} is van kracht, zonder problemen.',
  'policy-none': 'Uw organisatie heeft geen beleid ingesteld.',
  'service-none':
    'Er is geen achtergronddienst geïnstalleerd. Certificaten worden vernieuwd zolang deze app (of een achtergronddienst) draait.',
  'service-running': 'De achtergronddienst ({{manager}}, {{file}}) draait: {{detail}}',
  'service-stopped':
    'De achtergronddienst ({{manager}}, {{file}}) is geïnstalleerd maar draait niet: {{detail}}. Start hem en kijk in het logboek waarom hij is gestopt.',
  'service-unknown': 'De achtergronddienst kon niet worden gecontroleerd: {{problem}}',
  skipped: 'Niet gecontroleerd, omdat de controle {{step}} is mislukt.',
  'skipped-no-handshake': 'Niet gemeten: de server heeft de handshake niet voltooid.',
  'skipped-no-reply': 'Niet gemeten: de dienst gaf geen antwoord.',
  'skipped-untrusted': 'Niet gecontroleerd: voor deze provider wordt nog geen CA vertrouwd.',
  'dns-ip': '{{host}} is een IP-adres; opzoeken is niet nodig.',
  'dns-ok': '{{host}} is gevonden op {{addresses}}.',
  'dns-fail':
    '{{host}} kan niet worden gevonden ({{problem}}). Controleer de servernaam in het providerbestand en de netwerk- of VPN-verbinding van deze computer.',
  'dns-fail-onlineca':
    '{{host}} kan niet worden gevonden ({{problem}}). Controleer het adres van de provider bij Instellingen → Providers en de netwerk- of VPN-verbinding van deze computer.',
  'tcp-ok': 'Verbonden met {{address}} poort {{port}}.',
  'tcp-timeout':
    'Geen antwoord van {{address}} poort {{port}} binnen {{ms}} ms. Mogelijk blokkeert een firewall of proxy de verbinding.',
  'tcp-refused':
    '{{address}} weigert de verbinding op poort {{port}}. Draait de KeyTalk-server, en klopt de poort in het providerbestand?',
  'tcp-refused-onlineca':
    '{{address}} weigert de verbinding op poort {{port}}. Draait de Online CA-dienst, en klopt de poort in het adres van de provider?',
  'tcp-fail': 'Kan geen verbinding maken met {{address}} poort {{port}}: {{problem}}',
  'tls-ok':
    'Beveiligde verbinding ({{protocol}}) met "{{subject}}", uitgegeven door "{{issuer}}" ({{trustedBy}}), geldig tot {{validUntilAt}}.',
  'tls-timeout': 'De beveiligde verbinding met {{host}} poort {{port}} kwam niet binnen {{ms}} ms tot stand.',
  'tls-fail': 'De beveiligde verbinding met {{host}} poort {{port}} is mislukt: {{problem}}',
  'tls-foreign-ca':
    'Het beveiligingscertificaat van {{host}} ({{peer}}) komt niet van {{trustedBy}} ({{reason}}); mogelijk is dit niet de echte Online CA. Is de CA echt gewijzigd, vergelijk dan de nieuwe vingerafdrukken met de beheerder van de CA, verwijder de provider bij Instellingen → Providers en voeg hem opnieuw toe.',
  'trusted-by-rccd': 'de server-CA uit het providerbestand',
  'trusted-by-pin': 'de CA die op {{date}} voor {{name}} is vastgepind',
  'trusted-by-confirmed': 'de CA die op {{date}} voor {{name}} is bevestigd',
  peer: '"{{subject}}", uitgegeven door "{{issuer}}", SHA-256 {{fingerprint}}',
  'peer-unknown': 'zijn certificaat',
  'rcdp-ok': 'De KeyTalk-server antwoordt (protocol {{version}}).',
  'rcdp-clock-refused': 'De server weigerde de verbinding omdat de klok van deze computer afwijkt van die van de server.',
  'rcdp-fail': 'De KeyTalk-server heeft de handshake niet voltooid: {{problem}}',
  'clock-refused':
    'De klok van deze computer wijkt te veel af van die van de server, daarom weigert de server het aanmelden. Zet de automatische tijd (netwerktijd) aan.',
  'clock-no-utc': 'De server stuurde geen tijd om mee te vergelijken.',
  'clock-ok': 'De klok loopt gelijk met die van de server ({{skew}} s verschil).',
  'clock-ahead':
    'De klok van deze computer loopt {{seconds}} voor op die van de server. Bij een te grote afwijking weigert de server het aanmelden: zet de automatische tijd (netwerktijd) aan.',
  'clock-behind':
    'De klok van deze computer loopt {{seconds}} achter op die van de server. Bij een te grote afwijking weigert de server het aanmelden: zet de automatische tijd (netwerktijd) aan.',
  'clock-no-date': 'De dienst stuurde geen tijd om mee te vergelijken.',
  'clock-ok-service': 'De klok loopt gelijk met die van de dienst ({{skew}} s verschil).',
  'clock-ahead-service':
    'De klok van deze computer loopt {{seconds}} voor op die van de dienst. Een nieuw certificaat kan dan nog niet geldig of al verlopen lijken: zet de automatische tijd (netwerktijd) aan.',
  'clock-behind-service':
    'De klok van deze computer loopt {{seconds}} achter op die van de dienst. Een nieuw certificaat kan dan nog niet geldig of al verlopen lijken: zet de automatische tijd (netwerktijd) aan.',
  'server-version': 'Versie van de KeyTalk-server: {{version}}.',
  'version-fail': 'De KeyTalk-server gaf zijn versie niet door: {{problem}}',
  'health-ok': 'De server meldt dat hij normaal werkt.',
  'health-bad': 'De server meldt een probleem. Neem contact op met uw KeyTalk-beheerder.',
  'health-bad-says': 'De server meldt een probleem: {{problem}}. Neem contact op met uw KeyTalk-beheerder.',
  'health-fail': 'De statuscontrole van de server is mislukt: {{problem}}',
  'roots-fail': 'De vertrouwde basiscertificaten konden niet worden opgehaald: {{problem}}',
  'roots-status':
    '{{host}} beantwoordde de vraag om vertrouwde basiscertificaten met HTTP {{status}}. Controleer het adres {{url}}.',
  'roots-status-server':
    '{{host}} beantwoordde de vraag om vertrouwde basiscertificaten met HTTP {{status}}, een serverfout. Meld het aan de beheerder van de CA.',
  'roots-ok': '{{host}} levert zijn vertrouwde basiscertificaten: aantal CA-certificaten {{number}}, de geaccepteerde.',
  'roots-changed':
    '{{host}} levert nu andere vertrouwde basiscertificaten dan de {{number}} die op {{date}} zijn geaccepteerd. Vraag de beheerder van de CA of de CA is gewijzigd; aanvragen vertrouwen nog steeds alleen de geaccepteerde.',
  'roots-unreadable': 'De vertrouwde basiscertificaten van {{host}} zijn niet leesbaar: {{problem}}',
  'cert-service-ok': '{{host}} beantwoordt certificaataanvragen (HTTP {{status}} zonder aanmelden).',
  'cert-service-ok-realm': '{{host}} beantwoordt certificaataanvragen (HTTP {{status}} zonder aanmelden, realm "{{realm}}").',
  'cert-service-status': '{{host}} beantwoordde een certificaataanvraag met HTTP {{status}}. Controleer het adres {{url}}.',
  'cert-service-status-server':
    '{{host}} beantwoordde een certificaataanvraag met HTTP {{status}}, een serverfout. Meld het aan de beheerder van de CA.',
  'cert-service-fail': 'De certificaatdienst is niet bereikbaar: {{problem}}',
  'onlineca-untrusted':
    'Voor {{name}} wordt nog geen CA vertrouwd. Vraag er één keer een certificaat aan en vergelijk de getoonde vingerafdrukken met de beheerder van de CA.',
};
