import type { Translation } from '../../../../app/model/languages';
import type { renewal as en } from '../en/core-renewal';

/** German renewal texts of the core (see en/core-renewal.ts). */
export const renewal: Translation<typeof en> = {
  'server-margin': 'der KeyTalk-Server erneuert Zertifikate {{marginSeconds}} vor ihrem Ablauf',
  'valid-percent': 'wenn weniger als {{percent}} % der Gültigkeitsdauer übrig sind, wie im Dienst eingestellt',
  'default-percent':
    'wenn weniger als {{percent}} % der Gültigkeitsdauer übrig sind (Standard des Agents: weder der Server noch die Anbieterdatei legen eine Erneuerungsfrist fest)',
  'policy-floor': 'die Richtlinie Ihrer Organisation erneuert spätestens {{floorSeconds}} vor Ablauf',
  'margin-unusable':
    '{{basis}}; die Erneuerungsfrist des Servers ({{marginSeconds}}) ist so lang wie die gesamte Gültigkeitsdauer und kann nicht verwendet werden',
  'percent-unusable':
    '{{basis}}; die Einstellung des Dienstes (100 %) würde das Zertifikat sofort nach der Ausstellung erneuern und kann nicht verwendet werden',
  'floor-unusable':
    '{{basis}}; die Mindestfrist Ihrer Organisation ({{floorSeconds}}) ist so lang wie die gesamte Gültigkeitsdauer und wird nicht verwendet',
  'switch-over': 'das erneuerte Zertifikat wurde ausgestellt; das alte bleibt, bis das neue in jedem Speicher liegt',
  'not-in-every-store': 'das neue Zertifikat wurde ausgestellt, liegt aber noch nicht in jedem Speicher: {{reason}}',
  'awaiting-approval': 'Erneuerung beantragt; wartet auf Genehmigung (alle {{seconds}} geprüft)',
  approver: 'wartet auf eine Genehmigung auf dem KeyTalk-Server',
  locked: 'Ihr Konto ist auf dem Server gesperrt; der Agent versucht es später erneut',
  'waiting-for-user': 'wartet darauf, dass Sie erneuern (Erinnerung {{reminder}}; nächste in {{seconds}})',
  'needs-user': 'braucht Sie: {{why}}',
  'needs-sign-in': 'eine Anmeldung, die nur Sie vornehmen können',
  'needs-challenge': 'eine Antwort auf die Sicherheitsfrage des Servers',
  'needs-otp': 'das Einmalpasswort, das der Server Ihnen gesendet hat',
  'needs-approver': 'die Auswahl einer E-Mail-Adresse für die Genehmigung',
  'seat-not-auto': 'der Server erneuert Seat-Zertifikate dieses Dienstes nicht automatisch',
  stopping: 'der Agent wurde beendet',
  cancelled: 'die Erneuerung wurde abgebrochen',
  'nothing-requested': 'es wurde kein Zertifikat beantragt',
  'popup-sign-in': 'Ihr Zertifikat für {{service}} von {{provider}} läuft am {{at}} ab. Melden Sie sich an, um es zu erneuern.',
  'popup-locked':
    'Ihr Konto ist auf dem KeyTalk-Server gesperrt, daher konnte {{service}} nicht erneuert werden. Es ist nichts verloren: Das aktuelle Zertifikat bleibt bis {{at}} in Gebrauch. Der Agent versucht es später erneut.',
  'popup-failing': 'Die Erneuerung von {{service}} schlägt wiederholt fehl: {{reason}}.',
  'popup-hook-failed':
    'Der Befehl, der bei der Erneuerung von {{service}} ausgeführt werden soll, ist fehlgeschlagen: {{problem}}. Das erneuerte Zertifikat ist in Gebrauch; Einzelheiten stehen im Protokoll.',
  'hook-failed': 'er endete mit dem Exit-Status {{status}}',
  'hook-timeout': 'er wurde nach {{seconds}} abgebrochen',
};
