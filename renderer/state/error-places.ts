/**
 * Where an action's error is shown (the store's `errorAt`, rendered by shell/InlineError beside the control that
 * started it). Named once here so the action (store.ts) and the component that shows the error agree; issue 19,
 * "errors beside the control that caused them": the alert region at the top is out of sight of a card's button.
 */
export const errorPlace = {
  /** A certificate card's Renew now / Remove. */
  cert: (fingerprint: string) => `cert:${fingerprint}`,
  /** A certificate's export form. */
  export: (fingerprint: string) => `export:${fingerprint}`,
  /** Marking server messages read. */
  messages: 'messages',
  /** The Invite page's availability check and invitation. */
  invite: 'invite',
  /** Settings → MFA sign-ins: Sign out. */
  mfa: 'mfa',
  /**
   * Settings → MFA sign-ins: reading the list. Its own place, because a sign-out re-reads the list and that success
   * must not clear the sign-out's error (store.ts `attempt` clears the errors of the place that succeeded).
   */
  mfaList: 'mfa:list',
  /** Settings → certificate scan: Scan now / Preview. */
  scanner: 'scanner',
  /** Settings → certificate scan: reading its report (re-read after each scan: its own place, as mfaList). */
  scannerReport: 'scanner:report',
  /** Settings → certificate scan: a refused change of its settings (policy, a relative path). */
  scannerSettings: 'scanner:settings',
} as const;
