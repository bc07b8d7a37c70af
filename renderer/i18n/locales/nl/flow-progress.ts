import type { Translation } from '../../../../app/model/languages';
import type { flowProgress as en } from '../en/flow-progress';

/** Dutch names for the flow's step, MFA state and failure codes (see en/flow-progress.ts). */
export const flowProgress: Translation<typeof en> = {
  flowProgress: {
    steps: {
      hello: 'Contact maken met de server',
      handshake: 'Protocol afstemmen',
      'auth-requirements': 'Opvragen welke aanmelding de dienst nodig heeft',
      'resolve-service-uris': 'Adressen van de dienst opzoeken',
      'digest-service-uris': 'Adressen van de dienst controleren',
      authenticate: 'Aanmelden',
      authentication: 'Aanmelden',
      'change-password': 'Wachtwoord wijzigen',
      'password-expires': 'Uw wachtwoord verloopt binnenkort',
      'last-messages': 'Berichten van uw provider ophalen',
      'csr-requirements': 'Opvragen wat de certificaataanvraag nodig heeft',
      'generate-key': 'Sleutel aanmaken',
      'tpm-attestation': 'De TPM bij de server aantonen',
      'tpm-evidence': 'De TPM beantwoordt de controlevraag van de server',
      cert: 'Certificaat aanvragen',
      'request-certificate': 'Certificaat aanvragen',
      download: 'Certificaat downloaden',
      'historical-cert': 'Oudere e-mailcertificaten ophalen',
      store: 'Certificaat opslaan',
      'system-store': 'Opslaan in de opslag van de computer',
      'system-store-refused':
        'Opslaan in uw eigen opslag: het beleid van uw organisatie staat de opslag van de computer niet toe',
      'after-issue': 'E-mail en andere programma’s instellen',
      'service-uris': 'Pagina’s en programma’s van de dienst openen',
      'trust-roots': 'CA-certificaten ophalen',
    },
    mfaStates: {
      'waiting-for-browser': 'rond het aanmelden af in uw browser',
      silent: 'aanmelden met de bewaarde aanmelding',
      done: 'aangemeld',
      cancelled: 'geannuleerd',
    },
    failures: {
      'auth-failed': 'De server heeft de aanmelding niet geaccepteerd. Controleer uw gebruikersnaam en wachtwoord.',
      locked: 'Het account is geblokkeerd. Wacht even, of vraag het uw beheerder.',
      network: 'De server is niet bereikbaar. Controleer de netwerkverbinding.',
      tls: 'De identiteit van de server kon niet worden gecontroleerd; er is niets verstuurd.',
      'server-error': 'De server meldde een fout. Probeer het later opnieuw of neem contact op met uw beheerder.',
      'store-failed': 'Het certificaat kon niet worden opgeslagen; er is niets gewijzigd.',
      'bad-input': 'Iets wat is ingevoerd of ingesteld, is niet geldig.',
      unsupported: 'De server vraagt iets wat deze agent niet ondersteunt.',
      'time-out-of-sync':
        'De klok van deze computer wijkt te veel af van die van de server. Zet de tijd goed en probeer het opnieuw.',
      protocol: 'De server antwoordde op een manier die de agent niet begrijpt.',
      'incompatible-version': 'De versie van de server werkt niet met deze agent.',
      internal: 'De agent liep tegen een interne fout aan; het logbestand bevat de details.',
    },
  },
};
