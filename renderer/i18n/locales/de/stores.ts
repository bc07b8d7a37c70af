import type { stores as en } from '../en/stores';
import type { Translation } from '../../../../app/model/languages';

/** German names of the certificate stores (see en/stores.ts). */
export const stores: Translation<typeof en> = {
  stores: {
    names: {
      nss: 'Gemeinsame NSS-Datenbank (~/.pki/nssdb)',
      'system-nss': 'NSS-Datenbank des Systems (/etc/pki/nssdb)',
      'linux-system-ca': 'CA-Zertifikate des Systems',
      'windows-user': 'Windows-Zertifikatspeicher (aktueller Benutzer)',
      'windows-machine': 'Windows-Zertifikatspeicher (dieser Computer)',
      'macos-login': 'Anmeldeschlüsselbund',
      'macos-system': 'Systemschlüsselbund',
      file: 'Zertifikatsdateien (PEM und PKCS#12)',
      'system-file': 'Zertifikatsdateien dieses Computers (PEM und PKCS#12)',
    },
    profile: '{{app}}-Profil „{{profile}}“',
    usedBy: {
      nss: 'Chromium, Google Chrome, Evolution, curl (NSS-Builds) und andere NSS-Programme',
      'system-nss': 'systemweite NSS-Programme',
      'linux-system-ca':
        'OpenSSL- und GnuTLS-Programme, curl, wget, Python, Node.js und andere Programme, die dem System vertrauen',
      'windows-user': 'Edge, Chrome, Outlook, Windows-VPN und -WLAN und andere Windows-Programme',
      'windows-machine': 'Edge, Chrome, Outlook, Windows-VPN und -WLAN und andere Windows-Programme',
      'macos-login': 'Safari, Chrome, Edge, Mail, macOS-VPN und -WLAN und andere macOS-Programme',
      'macos-system': 'Safari, Chrome, Edge, Mail, macOS-VPN und -WLAN und andere macOS-Programme',
      file: 'Programme, die mit PEM- oder PKCS#12-Dateien eingerichtet sind (curl, OpenSSL, Webserver, Java keytool)',
      'system-file': 'Programme, die mit PEM- oder PKCS#12-Dateien eingerichtet sind (curl, OpenSSL, Webserver, Java keytool)',
    },
  },
};
