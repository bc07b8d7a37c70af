#!/usr/bin/env bash
# The README's test command: installs what the tests need (Debian packages, npm packages from the lockfile)
# and runs every test. Safe to run again: installed packages are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v xvfb-run >/dev/null || need+=(xvfb)
command -v certutil >/dev/null || need+=(libnss3-tools)
command -v pk12util >/dev/null || need+=(libnss3-tools)
command -v openssl >/dev/null || need+=(openssl)
command -v curl >/dev/null || need+=(curl)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v update-ca-certificates >/dev/null || need+=(ca-certificates)
# Hardware-bound keys and Kerberos sign-on (issue 21): a software TPM, tpm2-tools, the tpm2 OpenSSL provider, an MIT KDC.
command -v swtpm >/dev/null || need+=(swtpm swtpm-tools)
command -v tpm2_createprimary >/dev/null || need+=(tpm2-tools)
[ -e /usr/lib/"$(uname -m)"-linux-gnu/ossl-modules/tpm2.so ] || need+=(tpm2-openssl)
# The TPM's PKCS#11 token for NSS (tpm2-pkcs11; pkcs11-tool signs through it; tpm2-abrmd on a private D-Bus is the
# tests' resource manager in front of swtpm, as /dev/tpmrm0 is on a desktop).
[ -e /usr/lib/"$(uname -m)"-linux-gnu/pkcs11/libtpm2_pkcs11.so ] || need+=(libtpm2-pkcs11-1)
command -v tpm2_ptool >/dev/null || need+=(libtpm2-pkcs11-tools)
command -v tpm2-abrmd >/dev/null || [ -x /usr/sbin/tpm2-abrmd ] || need+=(tpm2-abrmd)
command -v dbus-daemon >/dev/null || need+=(dbus)
command -v pkcs11-tool >/dev/null || need+=(opensc)
command -v modutil >/dev/null || need+=(libnss3-tools)
[ -x /usr/sbin/krb5kdc ] || need+=(krb5-kdc)
[ -x /usr/sbin/kadmin.local ] || need+=(krb5-admin-server)
command -v kinit >/dev/null || need+=(krb5-user)
[ -e /usr/include/krb5.h ] || need+=(libkrb5-dev)
# Windows Kerberos: the C# the agent hands to PowerShell's Add-Type is compiled by mono (app/kerberos/windows-lsa.test.ts).
command -v mcs >/dev/null || need+=(mono-mcs)
# Headless users (issue 18): the shells whose completion scripts the tests check, and systemd-analyze for the unit.
command -v zsh >/dev/null || need+=(zsh)
command -v fish >/dev/null || need+=(fish)
command -v systemd-analyze >/dev/null || need+=(systemd)
# Managed deployment (issue 20): the MSI hook's output is compiled with wixl and read back with msiinfo (scripts/msi/).
command -v wixl >/dev/null || need+=(wixl)
command -v msiinfo >/dev/null || need+=(msitools)
# ... and the NSIS installer's include is compiled with makensis (scripts/nsis/).
command -v makensis >/dev/null || need+=(nsis)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
npm ci --no-audit --no-fund
npm test
