import type { Translation } from '../../../../app/model/languages';
import type { onlineca as en } from '../en/core-onlineca';

/** German Online CA texts of the core (see en/core-onlineca.ts). */
export const onlineca: Translation<typeof en> = {
  rejected: 'Die Online-CA hat den Benutzer {{user}} abgelehnt: falscher Benutzername oder falsches Passwort für {{realm}}.',
  'rejected-final':
    'Die Online-CA hat den Benutzer {{user}} für {{realm}} abgelehnt. Prüfen Sie Benutzername und Passwort und versuchen Sie es erneut.',
  'username-colon': 'Der Benutzername {{user}} enthält ":", das kann die Online-CA nicht verarbeiten.',
  'username-required': 'Geben Sie einen Benutzernamen für die Online-CA ein.',
  busy: 'Die Online-CA unter {{host}} ist ausgelastet. Versuchen Sie es später erneut.',
  'server-error':
    'Die Online-CA unter {{host}} hatte einen Serverfehler. Versuchen Sie es später erneut und melden Sie es dem Betreiber der CA, wenn es wieder auftritt.',
  'not-processed':
    'Die Online-CA unter {{host}} konnte die Zertifikatsanforderung nicht verarbeiten: Sie erwartet ein anderes Format. Melden Sie es mit dem Protokoll des Agents.',
  'unexpected-status':
    'Die Online-CA unter {{host}} hat unerwartet geantwortet (HTTP {{status}}). Melden Sie es mit dem Protokoll des Agents.',
  'server-says': '{{problem}}. Die Online-CA meldet: {{text}}',
  'bad-certificate':
    'Die Online-CA hat ein Zertifikat gesendet, das der Agent nicht annehmen kann; es wurde nichts gespeichert. Melden Sie es mit dem Protokoll des Agents.',
  'not-chained':
    'Das Zertifikat der Online-CA führt nicht zu ihren Stammzertifikaten; es wurde nichts gespeichert. Wenden Sie sich an den Betreiber der CA.',
  'no-trust-roots':
    'Der Online-CA-Anbieter {{name}} hat keine verwendbaren Stammzertifikate. Beantragen Sie erneut ein Zertifikat, um sie abzurufen.',
  'trust-roots-status':
    'Die Online-CA unter {{host}} hat die Anfrage nach Stammzertifikaten mit HTTP {{status}} beantwortet. Prüfen Sie die Adresse {{url}}.',
  'trust-roots-bad': 'Die Stammzertifikate von {{host}} sind nicht lesbar; es wurde nichts gespeichert.',
  'roots-not-vouching':
    'Die Stammzertifikate von {{host}} bestätigen das eigene Sicherheitszertifikat des Servers nicht und wurden daher abgelehnt.',
  'pin-mismatch':
    'Die Online-CA unter {{host}} passt nicht zum hinterlegten Fingerabdruck {{pinned}}: ihre Kette führt über {{actual}}. Es wurde nichts als vertrauenswürdig übernommen; prüfen Sie den Fingerabdruck mit dem Betreiber der CA.',
  'trust-not-confirmed': 'Das Vertrauen in die Online-CA unter {{host}} wurde nicht bestätigt; es wurde nichts gespeichert.',
  'needs-trust': 'der Online-CA wird noch nicht vertraut; beantragen Sie einmal selbst ein Zertifikat bei ihr',
  'needs-password':
    'die Online-CA braucht ein Passwort, das nicht gespeichert wurde; beantragen Sie einmal selbst ein Zertifikat und lassen Sie das Passwort merken',
};
