import type { Translation } from '../../../../app/model/languages';
import type { step as en } from '../en/core-steps';

/** Dutch step details of the core (see en/core-steps.ts). */
export const step: Translation<typeof en> = {
  'key-in-tpm': 'RSA {{size}} in de TPM',
  poll: 'controle {{number}}',
  'p12-fallback': 'de server weigerde P12v2; er wordt om P12 gevraagd',
  'out-of-band': 'het certificaat wordt apart gedownload',
  'historical-skipped': 'ouder certificaat {{number}} overgeslagen: {{reason}}',
  'password-expires': 'uw wachtwoord verloopt over {{seconds}}; wijzig het binnenkort',
  'after-issue': 'e-mailprogramma’s, gedeelde postvakken, certificaatscan',
  synchronously: 'synchroon',
  asynchronously: 'asynchroon',
  'challenge-response': 'antwoord op de vraag van de server',
  seat: 'seat',
  'tpm-keys': 'endorsement-key-certificaat en attestatiesleutel',
  'tpm-challenge': 'de TPM beantwoordt de uitdaging en certificeert de sleutel',
  'fetching-roots': 'basiscertificaten ophalen bij {{host}}',
  contacting: 'verbinding maken met {{host}}',
  'sending-request': 'certificaataanvraag versturen naar {{host}}',
};
