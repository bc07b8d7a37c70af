import type { Translation } from '../../../../app/model/languages';
import type { flowProgress as en } from '../en/flow-progress';

/** German names for the flow's step, MFA state and failure codes (see en/flow-progress.ts). */
export const flowProgress: Translation<typeof en> = {
  flowProgress: {
    steps: {
      hello: 'Verbindung zum Server wird hergestellt',
      handshake: 'Protokoll wird abgestimmt',
      'auth-requirements': 'Anmeldeart des Dienstes wird abgefragt',
      'resolve-service-uris': 'Adressen des Dienstes werden ermittelt',
      'digest-service-uris': 'Adressen des Dienstes werden geprüft',
      authenticate: 'Anmeldung',
      authentication: 'Anmeldung',
      'change-password': 'Passwort wird geändert',
      'password-expires': 'Ihr Passwort läuft bald ab',
      'last-messages': 'Nachrichten Ihres Anbieters werden abgerufen',
      'csr-requirements': 'Anforderungen an den Zertifikatsantrag werden abgefragt',
      'generate-key': 'Schlüssel wird erzeugt',
      'tpm-attestation': 'TPM wird gegenüber dem Server nachgewiesen',
      'tpm-evidence': 'Das TPM beantwortet die Prüfanfrage des Servers',
      cert: 'Zertifikat wird beantragt',
      'request-certificate': 'Zertifikat wird beantragt',
      download: 'Zertifikat wird heruntergeladen',
      'historical-cert': 'Ältere E-Mail-Zertifikate werden abgerufen',
      store: 'Zertifikat wird gespeichert',
      'system-store': 'Speichern im Speicher des Computers',
      'system-store-refused':
        'Speichern in Ihrem eigenen Speicher: die Richtlinie Ihrer Organisation erlaubt den Speicher des Computers nicht',
      'after-issue': 'E-Mail und andere Programme werden eingerichtet',
      'service-uris': 'Seiten und Programme des Dienstes werden geöffnet',
      'trust-roots': 'CA-Zertifikate werden abgerufen',
    },
    mfaStates: {
      'waiting-for-browser': 'schließen Sie die Anmeldung im Browser ab',
      silent: 'Anmeldung mit der gespeicherten Anmeldung',
      done: 'angemeldet',
      cancelled: 'abgebrochen',
    },
    failures: {
      'auth-failed': 'Der Server hat die Anmeldung nicht akzeptiert. Prüfen Sie Benutzername und Passwort.',
      locked: 'Das Konto ist gesperrt. Warten Sie oder wenden Sie sich an Ihren Administrator.',
      network: 'Der Server ist nicht erreichbar. Prüfen Sie die Netzwerkverbindung.',
      tls: 'Die Identität des Servers konnte nicht geprüft werden; es wurde nichts gesendet.',
      'server-error':
        'Der Server hat einen Fehler gemeldet. Versuchen Sie es später erneut oder wenden Sie sich an Ihren Administrator.',
      'store-failed': 'Das Zertifikat konnte nicht gespeichert werden; es wurde nichts geändert.',
      'bad-input': 'Eine Eingabe oder Einstellung ist ungültig.',
      unsupported: 'Der Server verlangt etwas, das dieser Agent nicht unterstützt.',
      'time-out-of-sync':
        'Die Uhr dieses Computers weicht zu stark von der des Servers ab. Korrigieren Sie die Zeit und versuchen Sie es erneut.',
      protocol: 'Der Server hat auf eine Weise geantwortet, die der Agent nicht versteht.',
      'incompatible-version': 'Die Version des Servers funktioniert nicht mit diesem Agenten.',
      internal: 'Im Agenten ist ein interner Fehler aufgetreten; Details stehen im Protokoll.',
    },
  },
};
