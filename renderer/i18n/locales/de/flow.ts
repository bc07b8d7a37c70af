import type { flow as en } from '../en/flow';
import type { Translation } from '../../../../app/model/languages';

/** German texts of a running enrollment (see en/flow.ts). */
export const flow: Translation<typeof en> = {
  flow: {
    title: 'Anmelden',
    signInTo: 'Bei {{provider}} — {{service}} anmelden',
    signInToProvider: 'Bei {{provider}} anmelden',
    remember: 'Auf diesem Computer merken (für die automatische Erneuerung nötig)',
    rememberUnprotected:
      'Es ist kein Schlüsselbund der Arbeitsumgebung verfügbar, daher würde ein gemerktes Kennwort ohne echten Schutz gespeichert (mit einem festen Schlüssel). Starten Sie zuerst GNOME Keyring oder KWallet, oder lassen Sie dies aus.',
    rememberKeyFile:
      'Ein gemerktes Kennwort wird in einer Datei gespeichert, die nur Ihr Benutzerkonto lesen kann, nicht in einem Geheimnisspeicher des Betriebssystems.',
    submit: 'Anmelden',
    userId: 'Benutzername',
    password: 'Passwort',
    userIdFor: 'Benutzername für „{{realm}}“',
    passwordFor: 'Passwort für „{{realm}}“',
    pin: 'PIN',
    otp: 'Einmalpasswort',
    response: 'Antwort',
    challengeTitle: 'Der Server benötigt weitere Angaben',
    otpTitle: 'Einmalpasswort eingeben',
    otpSentTo: 'Ein Einmalpasswort wurde an {{to}} gesendet.',
    changePasswordTitle_expired: 'Ihr Passwort ist abgelaufen. Wählen Sie ein neues.',
    changePasswordTitle_requested: 'Wählen Sie ein neues Passwort.',
    oldPassword: 'Aktuelles Passwort',
    newPassword: 'Neues Passwort',
    confirmPassword: 'Neues Passwort bestätigen',
    passwordsDiffer: 'Die neuen Passwörter stimmen nicht überein.',
    changePassword: 'Passwort ändern',
    approverTitle: 'Wählen Sie, wer dieses Zertifikat genehmigt',
    certOptionsTitle: 'Zertifikatsangaben',
    commonName: 'Allgemeiner Name (CN)',
    givenName: 'Vorname',
    surname: 'Nachname',
    sanDomains: 'Domainnamen (einer pro Zeile)',
    trustTitle: 'Erste Verbindung zur Online-CA unter {{host}}: Dieser CA vertrauen?',
    trustWhy:
      'Der Agent hatte noch nie Kontakt mit dieser Zertifizierungsstelle und kann daher nicht selbst prüfen, ob dies die echten CA-Zertifikate sind (Vertrauen bei erster Verwendung).',
    trustCompare:
      'Vergleichen Sie die SHA-256-Fingerabdrücke unten mit denen, die der Betreiber Ihrer CA veröffentlicht hat, zum Beispiel auf seiner Website oder in Ihrer Anleitung.',
    trustIfMatch:
      'Stimmen sie überein, wählen Sie „Dieser CA vertrauen“: Der Agent speichert diese Zertifikate und prüft jede spätere Verbindung damit, ohne erneut zu fragen.',
    trustIfDiffer:
      'Weichen sie ab, wählen Sie Abbrechen: Es wird nichts gespeichert, und möglicherweise wird die Verbindung abgehört.',
    trustFingerprints: 'Vom Server angebotene Zertifizierungsstellen',
    trustSubject: 'Zertifizierungsstelle',
    trustSha256: 'SHA-256-Fingerabdruck',
    trust: 'Dieser CA vertrauen',
    dontTrust: 'Abbrechen',
    systemStoreTitle: 'Der Zertifikatspeicher des Computers kann nicht verwendet werden',
    systemStoreWhy:
      'Der Server Ihrer Organisation möchte dieses Zertifikat im Speicher des Computers (System) ablegen, aber {{reason}}.',
    systemStoreChoice:
      'Sie können es stattdessen in Ihrem eigenen Zertifikatspeicher ablegen; Programme, die nur den Speicher des Computers lesen, finden es dann nicht. Oder brechen Sie ab und beantragen Sie es erneut mit Administratorrechten.',
    useUserStore: 'Eigenen Speicher verwenden',
    cancelSystemStore: 'Abbrechen',
    delay_zero: 'Der Server hat die Anmeldung abgelehnt. Sie können es jetzt erneut versuchen.',
    delay_one: 'Der Server hat die Anmeldung abgelehnt. Sie können es in {{count}} s erneut versuchen.',
    delay_other: 'Der Server hat die Anmeldung abgelehnt. Sie können es in {{count}} s erneut versuchen.',
    locked_zero: 'Zu viele Versuche: Das Konto ist gesperrt. Wenden Sie sich an Ihren Administrator.',
    locked_one: 'Zu viele Versuche: Das Konto ist gesperrt. Versuchen Sie es in {{count}} s erneut.',
    locked_other: 'Zu viele Versuche: Das Konto ist gesperrt. Versuchen Sie es in {{count}} s erneut.',
    submitted: 'Eingereicht; erneute Prüfung in {{seconds}} s.',
    inProgress: 'In Bearbeitung; erneute Prüfung in {{seconds}} s.',
    mfa: 'Mehrstufige Anmeldung ({{authority}}): {{state}}',
    issued: 'Zertifikat ausgestellt: {{subject}}',
    pending: 'Der Antrag für {{service}} wartet auf Genehmigung.',
    failed: 'Beantragung fehlgeschlagen: {{message}}',
    passwordChanged: 'Passwort für {{who}} geändert. Melden Sie sich ab jetzt mit dem neuen Passwort an.',
  },
  password: {
    bannerTitle: 'Passwort läuft bald ab',
    expiresSoon_one: 'Ihr Passwort für {{where}}{{user}} läuft in {{count}} Tag ab ({{date}}).',
    expiresSoon_other: 'Ihr Passwort für {{where}}{{user}} läuft in {{count}} Tagen ab ({{date}}).',
    expiresToday: 'Ihr Passwort für {{where}}{{user}} läuft heute ab ({{date}}).',
    expired: 'Ihr Passwort für {{where}}{{user}} ist abgelaufen ({{date}}).',
    change: 'Passwort ändern',
    warnDays: 'So viele Tage vor Ablauf eines Passworts warnen',
  },
};
