import type { stores as en } from '../en/stores';
import type { Translation } from '../../../../app/model/languages';

/** Dutch names of the certificate stores (see en/stores.ts). */
export const stores: Translation<typeof en> = {
  stores: {
    names: {
      nss: 'Gedeelde NSS-database (~/.pki/nssdb)',
      'system-nss': 'NSS-database van het systeem (/etc/pki/nssdb)',
      'linux-system-ca': 'CA-certificaten van het systeem',
      'windows-user': 'Windows-certificaatopslag (huidige gebruiker)',
      'windows-machine': 'Windows-certificaatopslag (deze computer)',
      'macos-login': 'Inlogsleutelhanger',
      'macos-system': 'Systeemsleutelhanger',
      file: 'Certificaatbestanden (PEM en PKCS#12)',
      'system-file': 'Certificaatbestanden van deze computer (PEM en PKCS#12)',
    },
    profile: '{{app}}-profiel "{{profile}}"',
    usedBy: {
      nss: 'Chromium, Google Chrome, Evolution, curl (NSS-versies) en andere NSS-programma’s',
      'system-nss': 'NSS-programma’s voor het hele systeem',
      'linux-system-ca':
        'OpenSSL- en GnuTLS-programma’s, curl, wget, Python, Node.js en andere programma’s die het systeem vertrouwen',
      'windows-user': 'Edge, Chrome, Outlook, Windows-VPN en -wifi en andere Windows-programma’s',
      'windows-machine': 'Edge, Chrome, Outlook, Windows-VPN en -wifi en andere Windows-programma’s',
      'macos-login': 'Safari, Chrome, Edge, Mail, macOS-VPN en -wifi en andere macOS-programma’s',
      'macos-system': 'Safari, Chrome, Edge, Mail, macOS-VPN en -wifi en andere macOS-programma’s',
      file: 'programma’s die met PEM- of PKCS#12-bestanden zijn ingesteld (curl, OpenSSL, webservers, Java keytool)',
      'system-file': 'programma’s die met PEM- of PKCS#12-bestanden zijn ingesteld (curl, OpenSSL, webservers, Java keytool)',
    },
  },
};
