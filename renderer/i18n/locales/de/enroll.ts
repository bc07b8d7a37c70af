import type { enroll as en } from '../en/enroll';
import type { Translation } from '../../../../app/model/languages';

/** German texts of the Enroll page and the Online CA form (see en/enroll.ts). */
export const enroll: Translation<typeof en> = {
  enroll: {
    title: 'Beantragen',
    firstRun:
      'Willkommen. Importieren Sie zunächst die Konfigurationsdatei (.rccd), die Sie von Ihrer Organisation erhalten haben, oder fügen Sie eine Online-CA über ihre Webadresse hinzu.',
    importTitle: 'Anbieterkonfiguration importieren',
    pickFile: '.rccd-Datei auswählen',
    dropHere: 'oder hier ablegen',
    importing: 'Wird importiert…',
    imported: 'Anbieter {{name}} importiert',
    confirmTitle: 'Diese Konfigurationsdatei bürgt nur für sich selbst',
    confirmIntro:
      'Niemand, dem der Agent bereits vertraut, hat sie signiert, und die mitgelieferten Serverzertifikate bestimmen, wohin Ihr Passwort geht. Importieren Sie sie nur, wenn sie von Ihrem KeyTalk-Administrator über einen vertrauenswürdigen Weg kam.',
    confirmImport: 'Trotzdem importieren',
    confirmCancel: 'Nicht importieren',
    providers: 'Anbieter',
    logoAlt: 'Logo von {{name}}',
    service: 'Dienst',
    start: 'Zertifikat beantragen',
    chooseService: 'Dienst auswählen',
    advanced: 'Erweitert',
    format: 'Format des Zertifikatspakets',
    formatAuto: 'Automatisch (empfohlen)',
    csrMode: 'Schlüssel auf diesem Computer erzeugen (CSR)',
    outOfBand: 'Zertifikat separat herunterladen (Out-of-Band)',
  },
  onlineCa: {
    title: 'Online-CA hinzufügen',
    intro: 'Eine Online-CA stellt Zertifikate direkt über ihre Webadresse aus. Die Adresse erhalten Sie vom Betreiber Ihrer CA.',
    name: 'Name',
    nameHint: 'Wie der Anbieter hier aufgeführt wird, z. B. „Research CA“.',
    url: 'URL der Online-CA',
    urlHint: 'Beginnt mit https://, z. B. https://ca.example.org/onlineca/',
    pin: 'Festgelegter CA-Fingerabdruck (SHA-256, optional)',
    pinHint:
      'Wenn der Betreiber Ihrer CA Ihnen einen gegeben hat, prüft der Agent den Server damit und fragt nicht nach einer Bestätigung der CA. Doppelpunkte und Leerzeichen sind erlaubt.',
    renewPercent: 'Erneuern, wenn weniger als dieser Prozentsatz der Laufzeit übrig ist',
    renewHint: 'Eine ganze Zahl von 1 bis 99; 10, sofern Ihr Betreiber nichts anderes sagt.',
    submit: 'Online-CA hinzufügen',
    adding: 'Wird hinzugefügt…',
    kind: 'Online-CA',
    added: 'Online-CA {{name}} hinzugefügt. Wählen Sie dort „Zertifikat beantragen“, um ein Zertifikat zu beantragen.',
    nameMissing: 'Geben Sie einen Namen für diesen Anbieter ein.',
    nameInvalid:
      'Verwenden Sie bis zu 80 Buchstaben, Ziffern, Leerzeichen, „.“, „_“ oder „-“, beginnend mit einem Buchstaben oder einer Ziffer, ohne „..“ und nicht auf Leerzeichen oder Punkt endend.',
    nameTaken:
      'Ein Anbieter namens {{name}} existiert bereits; wählen Sie einen anderen Namen oder entfernen Sie diesen in den Einstellungen.',
    urlMissing: 'Geben Sie die Dienst-URL ein, die Sie vom Betreiber Ihrer CA erhalten haben.',
    urlInvalid: 'Das ist keine Webadresse; sie sollte wie https://ca.example.org/onlineca/ aussehen.',
    urlNotHttps: 'Die Adresse muss mit https:// beginnen (die Online-CA ist nur über HTTPS erreichbar).',
    urlCredentials:
      'Lassen Sie Benutzername und Passwort aus der Adresse weg; Sie werden danach gefragt, wenn Sie ein Zertifikat beantragen.',
    pinInvalid:
      'Ein SHA-256-Fingerabdruck besteht aus 64 Hexadezimalziffern (0-9, A-F; Doppelpunkte und Leerzeichen erlaubt). Kopieren Sie ihn erneut vom Betreiber Ihrer CA.',
    renewInvalid: 'Geben Sie eine ganze Zahl von 1 bis 99 ein.',
  },
};
