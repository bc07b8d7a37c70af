/**
 * English names of the certificate stores (Settings' checkboxes, a certificate card's "Stored in"), by the store's
 * catalogue id (app/stores/registry.ts): the core's own names are English and stay the fallback for an id this UI
 * does not know. `usedBy` completes "Used by: …" with the programs that read the store.
 */
export const stores = {
  stores: {
    names: {
      nss: 'Shared NSS database (~/.pki/nssdb)',
      'system-nss': 'System NSS database (/etc/pki/nssdb)',
      'linux-system-ca': 'System CA certificates',
      'windows-user': 'Windows certificate store (current user)',
      'windows-machine': 'Windows certificate store (this computer)',
      'macos-login': 'Login keychain',
      'macos-system': 'System keychain',
      file: 'Certificate files (PEM and PKCS#12)',
      'system-file': 'Certificate files of this computer (PEM and PKCS#12)',
    },
    /** A Firefox or Thunderbird profile, each with its own NSS database. */
    profile: '{{app}} profile "{{profile}}"',
    usedBy: {
      nss: 'Chromium, Google Chrome, Evolution, curl (NSS builds) and other NSS programs',
      'system-nss': 'system-wide NSS programs',
      'linux-system-ca': 'OpenSSL and GnuTLS programs, curl, wget, Python, Node.js and other programs that trust the system',
      'windows-user': 'Edge, Chrome, Outlook, Windows VPN and Wi-Fi and other Windows programs',
      'windows-machine': 'Edge, Chrome, Outlook, Windows VPN and Wi-Fi and other Windows programs',
      'macos-login': 'Safari, Chrome, Edge, Mail, macOS VPN and Wi-Fi and other macOS programs',
      'macos-system': 'Safari, Chrome, Edge, Mail, macOS VPN and Wi-Fi and other macOS programs',
      file: 'programs set up with PEM or PKCS#12 files (curl, OpenSSL, web servers, Java keytool)',
      'system-file': 'programs set up with PEM or PKCS#12 files (curl, OpenSSL, web servers, Java keytool)',
    },
  },
};
