import type { Translation } from '../../../../app/model/languages';
import type { step as en } from '../en/core-steps';

/** German step details of the core (see en/core-steps.ts). */
export const step: Translation<typeof en> = {
  'key-in-tpm': 'RSA {{size}} im TPM',
  poll: 'Abfrage {{number}}',
  'p12-fallback': 'der Server hat P12v2 abgelehnt; P12 wird angefordert',
  'out-of-band': 'das Zertifikat wird separat heruntergeladen',
  'historical-skipped': 'älteres Zertifikat {{number}} übersprungen: {{reason}}',
  'password-expires': 'Ihr Passwort läuft bald ab (noch {{seconds}}); ändern Sie es rechtzeitig',
  'after-issue': 'E-Mail-Programme, gemeinsame Postfächer, Zertifikatssuche',
  synchronously: 'synchron',
  asynchronously: 'asynchron',
  'challenge-response': 'Antwort auf die Frage des Servers',
  seat: 'Seat',
  'tpm-keys': 'Endorsement-Key-Zertifikat und Attestierungsschlüssel',
  'tpm-challenge': 'das TPM beantwortet die Challenge und zertifiziert den Schlüssel',
  'fetching-roots': 'Stammzertifikate von {{host}} abrufen',
  contacting: 'Verbindung mit {{host}} herstellen',
  'sending-request': 'Zertifikatsanforderung an {{host}} senden',
};
