import type { Translation } from '../../../../app/model/languages';
import type { diagnostics as en } from '../en/diagnostics';

/** German texts of the helpdesk diagnostics (see en/diagnostics.ts). */
export const diagnostics: Translation<typeof en> = {
  diagnostics: {
    title: 'Diagnose für den Helpdesk',
    testConnection: 'Verbindung testen',
    createBundle: 'Support-Paket erstellen',
    bundleReady: 'Support-Paket heruntergeladen; senden Sie es an Ihren Helpdesk',
    allPassed: 'Alle Prüfungen bestanden',
    someFailed: 'Einige Prüfungen sind fehlgeschlagen; beginnen Sie mit der ersten als Fehlgeschlagen markierten',
    status: { pass: 'OK', warn: 'Warnung', fail: 'Fehlgeschlagen', skip: 'Übersprungen' },
    thisComputer: 'Dieser Computer',
    columns: { where: 'Wo', check: 'Prüfung', result: 'Ergebnis', details: 'Details' },
    checks: {
      dns: 'Namensauflösung (DNS)',
      tcp: 'Verbindung',
      tls: 'Serverzertifikat (TLS)',
      rcdp: 'KeyTalk-Protokoll',
      clock: 'Uhr',
      'public-api': 'Serverversion',
      health: 'Serverzustand',
      'trust-roots': 'Vertrauensanker (Online CA)',
      'certificate-service': 'Zertifikatsdienst (Online CA)',
      home: 'Ordner des Agenten',
      store: 'Zertifikatspeicher',
      'secret-store': 'Gespeicherte Passwörter',
      policy: 'Richtlinie der Organisation',
      daemon: 'Hintergrunddienst',
      providers: 'Anbieter',
    },
  },
};
