import type { Translation } from '../../../../app/model/languages';
import type { renewal as en } from '../en/core-renewal';

/** Dutch renewal texts of the core (see en/core-renewal.ts). */
export const renewal: Translation<typeof en> = {
  'server-margin': 'de KeyTalk-server vernieuwt certificaten {{marginSeconds}} voordat ze verlopen',
  'valid-percent': 'wanneer minder dan {{percent}}% van de geldigheidsduur over is, zoals de dienst is ingesteld',
  'default-percent':
    'wanneer minder dan {{percent}}% van de geldigheidsduur over is (standaard van de agent: de server en het providerbestand geven geen vernieuwingsmarge op)',
  'policy-floor': 'het beleid van uw organisatie vernieuwt minstens {{floorSeconds}} voordat het certificaat verloopt',
  'margin-unusable':
    '{{basis}}; de vernieuwingsmarge van de server ({{marginSeconds}}) is even lang als de hele geldigheidsduur en kan niet worden gebruikt',
  'percent-unusable':
    '{{basis}}; de instelling van de dienst (100%) zou het certificaat direct na uitgifte vernieuwen en kan niet worden gebruikt',
  'floor-unusable':
    '{{basis}}; de minimale vernieuwingstermijn van uw organisatie ({{floorSeconds}}) is even lang als de hele geldigheidsduur en wordt niet gebruikt',
  'switch-over': 'het vernieuwde certificaat is uitgegeven; het oude blijft tot het nieuwe in elke opslag staat',
  'not-in-every-store': 'het nieuwe certificaat is uitgegeven, maar staat nog niet in elke opslag: {{reason}}',
  'awaiting-approval': 'vernieuwing aangevraagd; wacht op goedkeuring (elke {{seconds}} gecontroleerd)',
  approver: 'wacht op goedkeuring op de KeyTalk-server',
  locked: 'uw account is geblokkeerd op de server; de agent probeert het later opnieuw',
  'waiting-for-user': 'wacht tot u vernieuwt (herinnering {{reminder}}; de volgende over {{seconds}})',
  'needs-user': 'u bent nodig: {{why}}',
  'needs-sign-in': 'een aanmelding die alleen u kunt doen',
  'needs-challenge': 'een antwoord op de controlevraag van de server',
  'needs-otp': 'het eenmalige wachtwoord dat de server u stuurde',
  'needs-approver': 'de keuze van een e-mailadres voor goedkeuring',
  'seat-not-auto': 'de server vernieuwt seat-certificaten van deze dienst niet automatisch',
  stopping: 'de agent werd afgesloten',
  cancelled: 'de vernieuwing is geannuleerd',
  'nothing-requested': 'er is geen certificaat aangevraagd',
  'popup-sign-in': 'Uw certificaat voor {{service}} van {{provider}} verloopt op {{at}}. Meld u aan om het te vernieuwen.',
  'popup-locked':
    'Uw account is geblokkeerd op de KeyTalk-server, daarom kon {{service}} niet worden vernieuwd. Er is niets verloren: het huidige certificaat blijft in gebruik tot {{at}}. De agent probeert het later opnieuw.',
  'popup-failing': 'Het vernieuwen van {{service}} mislukt steeds: {{reason}}.',
  'popup-hook-failed':
    'De opdracht die bij de vernieuwing van {{service}} moet draaien, is niet gelukt: {{problem}}. Het vernieuwde certificaat is in gebruik; de details staan in het logboek.',
  'hook-failed': 'deze eindigde met afsluitcode {{status}}',
  'hook-timeout': 'deze is na {{seconds}} afgebroken',
};
