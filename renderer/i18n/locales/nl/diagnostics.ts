import type { Translation } from '../../../../app/model/languages';
import type { diagnostics as en } from '../en/diagnostics';

/** Dutch texts of the helpdesk diagnostics (see en/diagnostics.ts). */
export const diagnostics: Translation<typeof en> = {
  diagnostics: {
    title: 'Diagnose voor de helpdesk',
    testConnection: 'Verbinding testen',
    createBundle: 'Supportbundel maken',
    bundleReady: 'Supportbundel gedownload; stuur deze naar uw helpdesk',
    allPassed: 'Alle controles geslaagd',
    someFailed: 'Sommige controles zijn mislukt; begin bij de eerste die als Mislukt is gemarkeerd',
    status: { pass: 'OK', warn: 'Waarschuwing', fail: 'Mislukt', skip: 'Overgeslagen' },
    thisComputer: 'Deze computer',
    columns: { where: 'Waar', check: 'Controle', result: 'Resultaat', details: 'Details' },
    checks: {
      dns: 'Naam opzoeken (DNS)',
      tcp: 'Verbinding',
      tls: 'Servercertificaat (TLS)',
      rcdp: 'KeyTalk-protocol',
      clock: 'Klok',
      'public-api': 'Serverversie',
      health: 'Serverstatus',
      'trust-roots': 'Vertrouwensbasis (Online CA)',
      'certificate-service': 'Certificaatdienst (Online CA)',
      home: 'Map van de agent',
      store: 'Certificaatopslag',
      'secret-store': 'Bewaarde wachtwoorden',
      policy: 'Beleid van de organisatie',
      daemon: 'Achtergronddienst',
      providers: 'Providers',
    },
  },
};
