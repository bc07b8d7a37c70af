import type { invite as en } from '../en/invite';
import type { Translation } from '../../../../app/model/languages';

/** German texts of the Invite page (see en/invite.ts). */
export const invite: Translation<typeof en> = {
  selfService: {
    title: 'Einladen',
    intro:
      'Laden Sie Personen außerhalb Ihrer Organisation ein, ein S/MIME-Zertifikat von KeyTalk zu erhalten (Self-Service), damit Sie signierte und verschlüsselte E-Mails mit ihnen austauschen können.',
    noProvider:
      'Importieren Sie zuerst Ihren Anbieter und beantragen Sie ein Zertifikat für Ihren S/MIME-Dienst (Seite Beantragen).',
    provider: 'Anbieter',
    orders: 'Bestellungen bei der CA aufgeben, statt jetzt Zertifikate auszustellen (GlobalSign-PersonalSign-Dienste)',
    check: 'Erneut prüfen',
    checking: 'Es wird geprüft, ob Sie Empfänger einladen dürfen…',
    available: 'Sie dürfen Empfänger einladen. Ihr Zertifikat: {{subject}}',
    mobileRequired: 'Der Server sendet das Zertifikatspasswort per SMS: Für jeden Empfänger ist eine Mobilnummer nötig.',
    unavailable: 'Empfänger einladen ist nicht möglich:',
    recipients: 'Empfänger',
    recipient: 'Empfänger {{n}}',
    email: 'E-Mail-Adresse von Empfänger {{n}}',
    mobile: 'Mobilnummer von Empfänger {{n}} (optional)',
    mobileNeeded: 'Mobilnummer von Empfänger {{n}}',
    add: 'Weiteren Empfänger hinzufügen',
    remove: 'Empfänger {{n}} entfernen',
    submit: 'Einladungen senden',
    sending: 'Wird gesendet…',
    badEmail: '„{{value}}“ ist keine E-Mail-Adresse.',
    badMobile: '„{{value}}“ ist keine Mobilnummer; verwenden Sie das internationale Format wie +31612345678.',
    missingMobile: 'Für {{email}} ist eine Mobilnummer nötig.',
    duplicate: '{{email}} ist doppelt aufgeführt.',
    resultTitle: 'Ergebnis',
    issued: '{{email}}: Zertifikat ausgestellt; der Download-Link wurde per E-Mail gesendet.',
    ordered: '{{email}}: Bestellung {{order}} bei der CA aufgegeben.',
    failedOne: '{{email}}: fehlgeschlagen ({{why}}).',
    failedNoReason: '{{email}}: fehlgeschlagen.',
    skippedOne: '{{email}}: übersprungen, weil ein früherer Empfänger fehlgeschlagen ist.',
    done: 'Einladungen gesendet: {{ok}} von {{total}} erfolgreich',
  },
};
