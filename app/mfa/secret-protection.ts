/**
 * Electron's safeStorage on Linux falls back to "basic_text" (a hard-coded key, i.e. plain text in effect) when no
 * keyring (GNOME libsecret, KWallet) is running. main/ passes safeStorage.getSelectedStorageBackend() here and shows
 * the answer, and binds the SecretStore with osProtected=false in that case.
 */
export function linuxSafeStorageWarning(backend: string): string | undefined {
  if (backend === 'basic_text' || backend === 'unknown') {
    return 'No desktop keyring (GNOME Keyring / KWallet) is available, so KeyTalk Agent cannot protect saved secrets such as the MFA sign-in cache: they are stored with a fixed key. Start a keyring service and restart the agent, or do not keep sign-ins on this computer.';
  }
  return undefined;
}

/** Whether a safeStorage backend really protects secrets (anything other than basic_text/unknown). */
export function safeStorageBackendIsProtected(backend: string): boolean {
  return linuxSafeStorageWarning(backend) === undefined;
}
