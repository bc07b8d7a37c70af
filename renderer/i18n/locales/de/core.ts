import type { Translation } from '../../../../app/model/languages';
import type { core as en } from '../en/core';
import { doctor } from './core-doctor';
import { onlineca } from './core-onlineca';
import { renewal } from './core-renewal';
import { step } from './core-steps';

/** German sentences for the core's error and warning codes (see en/core.ts). */
export const core: Translation<typeof en> = {
  core: {
    auth: {
      rejected:
        'Der KeyTalk-Server hat den Benutzernamen oder das Passwort abgelehnt. Bitte prüfen Sie die Angaben und versuchen Sie es erneut.',
      'rejected-final': 'Der KeyTalk-Server hat die Anmeldedaten abgelehnt. Versuchen Sie es mit den richtigen Angaben erneut.',
      'rejected-final-wait':
        'Der KeyTalk-Server hat die Anmeldedaten abgelehnt. Warten Sie {{seconds}} und versuchen Sie es dann mit den richtigen Angaben erneut.',
      'rejected-remembered':
        'Der KeyTalk-Server hat das gespeicherte Passwort abgelehnt; es wurde nicht erneut gesendet. Melden Sie sich an, um das Zertifikat zu erneuern.',
      'rejected-hwsig':
        'Der KeyTalk-Server hat die Hardware-Signatur dieses Geräts abgelehnt. Wenden Sie sich an Ihren Administrator.',
      locked:
        'Ihr Konto ist auf dem KeyTalk-Server gesperrt. Versuchen Sie es später erneut oder wenden Sie sich an Ihren Administrator.',
      'locked-for':
        'Ihr Konto ist auf dem KeyTalk-Server noch {{seconds}} gesperrt. Versuchen Sie es später erneut oder wenden Sie sich an Ihren Administrator.',
      'seat-locked': 'Dieser Seat ist auf dem KeyTalk-Server gesperrt. Wenden Sie sich an Ihren Administrator.',
      'expired-unattended':
        'Ihr Passwort ist abgelaufen. Melden Sie sich selbst an, um es zu ändern; die automatische Erneuerung kann das nicht.',
      'change-refused':
        'Der Server hat die Passwortänderung abgelehnt: Das alte Passwort ist falsch oder das neue erfüllt die Passwortregeln nicht.',
      'change-refused-final': 'Die Passwortänderung wurde zu oft abgelehnt. Versuchen Sie es später erneut.',
    },
    network: {
      refused: '{{host}} hat die Verbindung abgelehnt. Läuft der Server, und stimmt die Adresse in der Anbieterdatei?',
      'not-found': '{{host}} wurde nicht gefunden. Prüfen Sie Ihre Netzwerkverbindung.',
      reset: '{{host}} hat die Verbindung abgebrochen. Versuchen Sie es gleich noch einmal.',
      unreachable: '{{host}} ist nicht erreichbar. Prüfen Sie Ihre Netzwerkverbindung.',
      broke: 'Die Verbindung zu {{host}} ist abgebrochen. Versuchen Sie es gleich noch einmal.',
      'connect-timeout':
        '{{host}} hat nicht rechtzeitig geantwortet. Prüfen Sie Ihre Netzwerkverbindung oder versuchen Sie es später erneut.',
      stalled: '{{host}} antwortet zu langsam. Versuchen Sie es später erneut.',
    },
    tls: {
      expired:
        'Das Sicherheitszertifikat von {{host}} ist abgelaufen. Wenden Sie sich an Ihren Administrator; der Agent verbindet sich nicht.',
      'not-yet-valid':
        'Das Sicherheitszertifikat von {{host}} ist noch nicht gültig. Prüfen Sie Datum und Uhrzeit Ihres Computers.',
      'wrong-host':
        'Das Sicherheitszertifikat von {{host}} ist auf einen anderen Namen ausgestellt. Wenden Sie sich an Ihren Administrator.',
      'unknown-ca':
        'Das Sicherheitszertifikat von {{host}} stammt nicht von einer CA, der dieser Anbieter vertraut. Importieren Sie die Anbieterdatei erneut oder wenden Sie sich an Ihren Administrator.',
      'self-signed':
        'Das Sicherheitszertifikat von {{host}} ist selbstsigniert und wird nicht als vertrauenswürdig eingestuft. Wenden Sie sich an Ihren Administrator.',
      revoked: 'Das Sicherheitszertifikat von {{host}} wurde widerrufen. Wenden Sie sich an Ihren Administrator.',
      'not-server-certificate':
        '{{host}} hat ein Zertifikat vorgelegt, das nicht für Server bestimmt ist. Wenden Sie sich an Ihren Administrator.',
      'bad-certificate': 'Das Sicherheitszertifikat von {{host}} ist nicht lesbar. Wenden Sie sich an Ihren Administrator.',
      handshake: 'Es konnte keine sichere Verbindung zu {{host}} aufgebaut werden. Wenden Sie sich an Ihren Administrator.',
    },
    rccd: {
      unsigned: 'Die Beschreibung (v1-Manifest) ist nicht signiert.',
      'self-vouched':
        'Die Beschreibung (v1-Manifest) ist nur von einer CA signiert, die die Datei selbst mitbringt; die Signatur zeigt also nicht, wer sie erstellt hat.',
      'not-rccd':
        '{{file}} ist keine KeyTalk-Anbieterdatei (.rccd). Wählen Sie die Datei, die Sie von Ihrem Administrator erhalten haben.',
      unsafe:
        '{{file}} wurde abgelehnt: Das Archiv enthält unsichere Einträge. Bitten Sie Ihren Administrator um eine neue Kopie.',
      damaged:
        '{{file}} ist beschädigt oder unvollständig und wurde nicht importiert. Bitten Sie Ihren Administrator um eine neue Kopie.',
      'too-large': '{{file}} ist zu groß für den Import. Bitten Sie Ihren Administrator um eine kleinere Anbieterdatei.',
      'not-newer':
        'Der Anbieter „{{name}}“ hat bereits Version {{installed}}; diese Datei hat Version {{offered}}, die nicht neuer ist. Es wurde nichts geändert.',
      'onlineca-exists':
        'Ein Online-CA-Anbieter namens „{{name}}“ ist bereits vorhanden. Entfernen Sie ihn zuerst unter Einstellungen → Anbieter.',
    },
    repaired: {
      settings:
        'Ihre Einstellungen enthielten am {{at}} ungültige Werte ({{problem}}). Es werden die Standardwerte verwendet; das Original liegt unter {{path}}.',
      provider: '{{file}} war am {{at}} beschädigt und wurde nach {{path}} verschoben. Importieren Sie die Anbieterdatei erneut.',
      file: '{{file}} war am {{at}} beschädigt und wurde nach {{path}} verschoben. Der Agent hat wiederhergestellt, was möglich war.',
    },
    policy: {
      locked: '{{what}} wird von Ihrer Organisation verwaltet (Richtlinie „{{key}}“) und kann hier nicht geändert werden.',
      'unknown-key': 'Die Richtlinie {{source}} enthält eine unbekannte Einstellung „{{key}}“; sie wird ignoriert.',
      'bad-value': 'Die Richtlinie {{source}} enthält einen ungültigen Wert für „{{key}}“ ({{problem}}); er wird ignoriert.',
      'not-object': 'Die Richtlinie {{source}} ist keine Liste von Einstellungen; sie wird ignoriert.',
      unreadable: 'Die Richtlinie {{source}} konnte nicht verwendet werden und wird ignoriert. Details: {{problem}}',
      provisioning:
        'Ein Anbieter, den Ihre Organisation bereitstellt, konnte nicht importiert oder aktualisiert werden. Details: {{problem}}',
      'system-store-refused':
        'Der Server wollte dieses Zertifikat im Zertifikatspeicher des Computers ablegen, doch die Richtlinie Ihrer Organisation erlaubt diesen Speicher nicht. Es wurde stattdessen in Ihrem eigenen Zertifikatspeicher abgelegt ({{stores}}).',
    },
    store: {
      'system-not-admin':
        'der Agent läuft nicht als Administrator und kann daher nicht in den Speicher LocalMachine\\My schreiben',
      'system-not-root': 'der Agent läuft nicht als root und kann daher nicht in den System-Schlüsselbund schreiben',
      'system-not-writable':
        'der Agent darf nicht in {{dir}} schreiben (starten Sie ihn als root, um den Systemspeicher zu verwenden)',
      'system-none': 'dieser Agent kennt auf dieser Plattform keinen Zertifikatspeicher für den Computer',
      'system-unattended':
        'Der Server möchte dieses Zertifikat im Systemspeicher des Computers ablegen, aber {{reason}}. Erneuern Sie es selbst oder starten Sie den Agent mit Administratorrechten.',
      'system-declined':
        'Der Server möchte dieses Zertifikat im Systemspeicher des Computers ablegen, aber {{reason}}. Sie haben sich gegen Ihren eigenen Speicher entschieden: Starten Sie den Agent als Administrator (root) und beantragen Sie das Zertifikat erneut.',
      'none-selected':
        'Es ist kein Speicher für das Zertifikat ausgewählt. Aktivieren Sie in den Einstellungen mindestens einen Speicher.',
      'cannot-take': 'Der Speicher {{store}} kann kein Zertifikat aufnehmen: {{reason}}. Beim Server wurde nichts angefordert.',
      'nss-old-format':
        'dieses Profil verwendet noch das alte Format der Zertifikatsdatenbank; starten Sie Firefox oder Thunderbird einmal damit',
      'nss-no-database': 'es gibt noch keine Zertifikatsdatenbank; starten Sie die Anwendung einmal mit diesem Profil',
      'not-writable': 'in den Ordner {{dir}} kann nicht geschrieben werden',
      'system-ca-tool-missing':
        'das Systemprogramm zum Aktualisieren vertrauenswürdiger CAs fehlt; installieren Sie ca-certificates',
    },
    disk: {
      full: 'Die Festplatte ist voll. Geben Sie Speicherplatz frei und versuchen Sie es erneut; es wurde nichts halb geschrieben.',
      quota:
        'Ihr Speicherkontingent ist erschöpft. Geben Sie Speicherplatz frei und versuchen Sie es erneut; es wurde nichts halb geschrieben.',
      'read-only':
        'Die Festplatte ist schreibgeschützt. Machen Sie den Ordner des Agents beschreibbar und versuchen Sie es erneut; es wurde nichts halb geschrieben.',
    },
    home: {
      busy: 'Ein anderer KeyTalk-Agent-Prozess arbeitet mit denselben Dateien. Versuchen Sie es gleich noch einmal.',
      'not-writable':
        'Der Agent kann nicht in seinen Ordner {{dir}} schreiben. Prüfen Sie die Berechtigungen und den freien Speicherplatz, oder wenden Sie sich an Ihren Administrator.',
    },
    flow: { cancelled: 'Die Anfrage wurde abgebrochen.' },
    renewal,
    step,
    onlineca,
    doctor,
    provider: {
      exists:
        'Ein Anbieter namens "{{name}}" existiert bereits. Wählen Sie einen anderen Namen oder entfernen Sie zuerst diesen Anbieter.',
    },
    smime: {
      unavailable: 'S/MIME-Zertifikate für externe Empfänger sind für Sie nicht verfügbar.',
      'orders-unavailable': 'Das Bestellen von S/MIME-Zertifikaten ist für Sie nicht verfügbar.',
      'not-enabled':
        'Ihr KeyTalk-Konto ist nicht für Self-Service freigeschaltet. Bitten Sie Ihren KeyTalk-Administrator, es freizuschalten.',
      'not-smime': 'Das verwendete Zertifikat ist kein S/MIME-Zertifikat. Beantragen Sie zuerst Ihr S/MIME-Zertifikat.',
      'cert-invalid': 'Ihr Zertifikat ist nicht mehr gültig. Erneuern Sie es und versuchen Sie es dann erneut.',
      'no-smtp':
        'Der KeyTalk-Server kann keine E-Mails senden (SMTP ist nicht eingerichtet). Wenden Sie sich an Ihren KeyTalk-Administrator.',
      'orders-personalsign':
        'Bestellungen sind nur bei Diensten möglich, die an GlobalSign PersonalSign gebunden sind. Deaktivieren Sie „Bestellungen bei der CA aufgeben“ und versuchen Sie es erneut.',
      licence: 'Die KeyTalk-Lizenz erlaubt keine weiteren Zertifikate. Wenden Sie sich an Ihren KeyTalk-Administrator.',
      'cannot-check': 'Es konnte nicht geprüft werden, ob Einladungen möglich sind: {{reason}}',
      'no-email':
        'Ihr Zertifikat enthält keine E-Mail-Adresse und kann Sie daher für Self-Service nicht ausweisen. Verwenden Sie Ihr S/MIME-Zertifikat.',
      expired: 'Ihr Zertifikat ist am {{at}} abgelaufen. Erneuern Sie es zuerst.',
      'mobile-required':
        'Der Server benötigt für jeden Empfänger eine Mobilnummer (das Zertifikatspasswort wird per SMS gesendet). Tragen Sie eine für {{emails}} ein.',
      'several-providers':
        'Sie haben S/MIME-Zertifikate mehrerer Anbieter ({{providers}}). Wählen Sie den Anbieter, über den Sie einladen möchten.',
      'no-certificate':
        'Der Agent hat kein gültiges S/MIME-Zertifikat mit privatem Schlüssel. Beantragen Sie zuerst Ihr S/MIME-Zertifikat.',
      'no-recipients': 'Fügen Sie mindestens einen Empfänger hinzu.',
      'not-accepted':
        'Der KeyTalk-Server hat Ihr Zertifikat nicht als Self-Service-Benutzer akzeptiert. Erneuern Sie es, oder wenden Sie sich an Ihren KeyTalk-Administrator.',
      'recipients-refused': 'Der KeyTalk-Server hat die Empfänger abgelehnt. Prüfen Sie die E-Mail-Adressen und Mobilnummern.',
    },
    // The server's own words (a popup template, a reason) cannot be translated: this frame says whose they are.
    server: { says: 'Der KeyTalk-Server meldet: {{text}}' },
  },
};
