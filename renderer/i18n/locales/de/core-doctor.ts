import type { Translation } from '../../../../app/model/languages';
import type { doctor as en } from '../en/core-doctor';

/** German detail lines of the connection test (see en/core-doctor.ts). */
export const doctor: Translation<typeof en> = {
  'no-provider':
    'Es ist noch kein Anbieter eingerichtet. Importieren Sie die Anbieterdatei (RCCD) Ihrer Organisation oder fügen Sie eine Online-CA hinzu.',
  'stores-error': 'Die Zertifikatspeicher können nicht geöffnet werden: {{problem}}',
  'home-ok': 'Der Ordner des Agenten {{home}} ist beschreibbar.',
  'home-fail':
    'In {{dir}} kann nicht geschrieben werden ({{problem}}). Prüfen Sie die Berechtigungen des Ordners oder geben Sie Speicherplatz frei.',
  'no-stores': 'Es ist kein Zertifikatspeicher eingeschaltet. Schalten Sie einen unter Einstellungen ein.',
  'store-ok': '{{name}} ({{store}}) ist bereit: {{location}}',
  'store-unavailable': '{{name}} ({{store}}) kann kein Zertifikat aufnehmen: {{reason}}',
  'store-error': '{{store}}: {{problem}}',
  'secret-none':
    'Auf diesem Computer gibt es keinen sicheren Ort für Passwörter, daher können Passwörter nicht gespeichert werden.',
  'secret-ok-os': 'Der Passwortspeicher ({{kind}}) funktioniert und ist durch das Betriebssystem geschützt.',
  'secret-ok-file':
    'Der Passwortspeicher ({{kind}}) funktioniert; er ist eine Schlüsseldatei, die nur Sie lesen können, schwächer als der Schlüsselbund des Systems.',
  'secret-fail':
    'Der Passwortspeicher ({{kind}}) funktioniert nicht: {{problem}}. Entsperren Sie den Schlüsselbund oder prüfen Sie die Berechtigungen des Geheimnis-Ordners des Agenten.',
  'policy-warning': 'Richtlinie Ihrer Organisation: {{warning}}',
  'policy-ok': 'Die Richtlinie Ihrer Organisation aus {{sources}} gilt, ohne Probleme.',
  'policy-none': 'Ihre Organisation hat keine Richtlinie festgelegt.',
  'service-none':
    'Es ist kein Hintergrunddienst installiert. Zertifikate werden erneuert, solange diese App (oder ein Hintergrunddienst) läuft.',
  'service-running': 'Der Hintergrunddienst ({{manager}}, {{file}}) läuft: {{detail}}',
  'service-stopped':
    'Der Hintergrunddienst ({{manager}}, {{file}}) ist installiert, läuft aber nicht: {{detail}}. Starten Sie ihn und sehen Sie in seinem Protokoll nach, warum er angehalten wurde.',
  'service-unknown': 'Der Hintergrunddienst konnte nicht geprüft werden: {{problem}}',
  skipped: 'Nicht geprüft, weil die Prüfung {{step}} fehlgeschlagen ist.',
  'skipped-no-handshake': 'Nicht gemessen: Der Server hat den Handshake nicht abgeschlossen.',
  'skipped-no-reply': 'Nicht gemessen: Der Dienst hat nicht geantwortet.',
  'skipped-untrusted': 'Nicht geprüft: Für diesen Anbieter wird noch keiner CA vertraut.',
  'dns-ip': '{{host}} ist eine IP-Adresse; keine Namensauflösung nötig.',
  'dns-ok': '{{host}} wurde unter {{addresses}} gefunden.',
  'dns-fail':
    '{{host}} wurde nicht gefunden ({{problem}}). Prüfen Sie den Servernamen in der Anbieterdatei sowie die Netzwerk- oder VPN-Verbindung dieses Computers.',
  'dns-fail-onlineca':
    '{{host}} wurde nicht gefunden ({{problem}}). Prüfen Sie die Adresse des Anbieters unter Einstellungen → Anbieter sowie die Netzwerk- oder VPN-Verbindung dieses Computers.',
  'tcp-ok': 'Verbunden mit {{address}} Port {{port}}.',
  'tcp-timeout':
    'Keine Antwort von {{address}} Port {{port}} innerhalb von {{ms}} ms. Möglicherweise blockiert eine Firewall oder ein Proxy die Verbindung.',
  'tcp-refused':
    '{{address}} hat die Verbindung auf Port {{port}} abgelehnt. Läuft der KeyTalk-Server, und stimmt der Port in der Anbieterdatei?',
  'tcp-refused-onlineca':
    '{{address}} hat die Verbindung auf Port {{port}} abgelehnt. Läuft der Online-CA-Dienst, und stimmt der Port in der Adresse des Anbieters?',
  'tcp-fail': 'Keine Verbindung zu {{address}} Port {{port}} möglich: {{problem}}',
  'tls-ok':
    'Sichere Verbindung ({{protocol}}) mit „{{subject}}“, ausgestellt von „{{issuer}}“ ({{trustedBy}}), gültig bis {{validUntilAt}}.',
  'tls-timeout': 'Die sichere Verbindung mit {{host}} Port {{port}} kam nicht innerhalb von {{ms}} ms zustande.',
  'tls-fail': 'Die sichere Verbindung mit {{host}} Port {{port}} ist fehlgeschlagen: {{problem}}',
  'tls-foreign-ca':
    'Das Sicherheitszertifikat von {{host}} ({{peer}}) stammt nicht von {{trustedBy}} ({{reason}}); möglicherweise ist dies nicht die echte Online-CA. Hat sich die CA wirklich geändert, vergleichen Sie die neuen Fingerabdrücke mit dem Betreiber der CA, entfernen Sie dann den Anbieter unter Einstellungen → Anbieter und fügen Sie ihn erneut hinzu.',
  'trusted-by-rccd': 'der Server-CA aus der Anbieterdatei',
  'trusted-by-pin': 'der CA, die am {{date}} für {{name}} fest hinterlegt wurde',
  'trusted-by-confirmed': 'der CA, die am {{date}} für {{name}} bestätigt wurde',
  peer: '„{{subject}}“, ausgestellt von „{{issuer}}“, SHA-256 {{fingerprint}}',
  'peer-unknown': 'sein Zertifikat',
  'rcdp-ok': 'Der KeyTalk-Server antwortet (Protokoll {{version}}).',
  'rcdp-clock-refused': 'Der Server hat die Verbindung abgelehnt, weil die Uhr dieses Computers von der des Servers abweicht.',
  'rcdp-fail': 'Der KeyTalk-Server hat den Handshake nicht abgeschlossen: {{problem}}',
  'clock-refused':
    'Die Uhr dieses Computers weicht zu stark von der des Servers ab, daher lehnt der Server die Anmeldung ab. Schalten Sie die automatische Zeit (Netzwerkzeit) ein.',
  'clock-no-utc': 'Der Server hat keine Uhrzeit zum Vergleichen gesendet.',
  'clock-ok': 'Die Uhr stimmt mit der des Servers überein ({{skew}} s Abweichung).',
  'clock-ahead':
    'Die Uhr dieses Computers geht gegenüber der des Servers {{seconds}} vor. Bei zu großer Abweichung lehnt der Server die Anmeldung ab: Schalten Sie die automatische Zeit (Netzwerkzeit) ein.',
  'clock-behind':
    'Die Uhr dieses Computers geht gegenüber der des Servers {{seconds}} nach. Bei zu großer Abweichung lehnt der Server die Anmeldung ab: Schalten Sie die automatische Zeit (Netzwerkzeit) ein.',
  'clock-no-date': 'Der Dienst hat keine Uhrzeit zum Vergleichen gesendet.',
  'clock-ok-service': 'Die Uhr stimmt mit der des Dienstes überein ({{skew}} s Abweichung).',
  'clock-ahead-service':
    'Die Uhr dieses Computers geht gegenüber der des Dienstes {{seconds}} vor. Ein neues Zertifikat kann dann noch nicht gültig oder schon abgelaufen erscheinen: Schalten Sie die automatische Zeit (Netzwerkzeit) ein.',
  'clock-behind-service':
    'Die Uhr dieses Computers geht gegenüber der des Dienstes {{seconds}} nach. Ein neues Zertifikat kann dann noch nicht gültig oder schon abgelaufen erscheinen: Schalten Sie die automatische Zeit (Netzwerkzeit) ein.',
  'server-version': 'Version des KeyTalk-Servers: {{version}}.',
  'version-fail': 'Der KeyTalk-Server hat seine Version nicht mitgeteilt: {{problem}}',
  'health-ok': 'Der Server meldet, dass er normal arbeitet.',
  'health-bad': 'Der Server meldet ein Problem. Wenden Sie sich an Ihren KeyTalk-Administrator.',
  'health-bad-says': 'Der Server meldet ein Problem: {{problem}}. Wenden Sie sich an Ihren KeyTalk-Administrator.',
  'health-fail': 'Die Statusprüfung des Servers ist fehlgeschlagen: {{problem}}',
  'roots-fail': 'Die vertrauenswürdigen Stammzertifikate konnten nicht abgerufen werden: {{problem}}',
  'roots-status':
    '{{host}} hat die Anfrage nach den Stammzertifikaten mit HTTP {{status}} beantwortet. Prüfen Sie die Adresse {{url}}.',
  'roots-status-server':
    '{{host}} hat die Anfrage nach den Stammzertifikaten mit HTTP {{status}} beantwortet, einem Serverfehler. Informieren Sie den Betreiber der CA.',
  'roots-ok': '{{host}} liefert seine Stammzertifikate: Anzahl CA-Zertifikate {{number}}, die akzeptierten.',
  'roots-changed':
    '{{host}} liefert jetzt andere Stammzertifikate als die {{number}} am {{date}} akzeptierten. Fragen Sie den Betreiber der CA, ob sich die CA geändert hat; Anträge vertrauen weiterhin nur den akzeptierten.',
  'roots-unreadable': 'Die Stammzertifikate von {{host}} sind nicht lesbar: {{problem}}',
  'cert-service-ok': '{{host}} beantwortet Zertifikatsanträge (HTTP {{status}} ohne Anmeldung).',
  'cert-service-ok-realm': '{{host}} beantwortet Zertifikatsanträge (HTTP {{status}} ohne Anmeldung, Realm „{{realm}}“).',
  'cert-service-status': '{{host}} hat einen Zertifikatsantrag mit HTTP {{status}} beantwortet. Prüfen Sie die Adresse {{url}}.',
  'cert-service-status-server':
    '{{host}} hat einen Zertifikatsantrag mit HTTP {{status}} beantwortet, einem Serverfehler. Informieren Sie den Betreiber der CA.',
  'cert-service-fail': 'Der Zertifikatsdienst ist nicht erreichbar: {{problem}}',
  'onlineca-untrusted':
    'Für {{name}} wird noch keiner CA vertraut. Beantragen Sie dort einmal ein Zertifikat und vergleichen Sie die angezeigten Fingerabdrücke mit dem Betreiber der CA.',
};
