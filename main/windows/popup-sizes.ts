// The popup kinds and their window sizes, apart from window-manager.ts so the e2e scaling check can lay out
// each popup at its real size without loading anything that belongs to Electron.

export type PopupKind = 'login' | 'mfa' | 'disclaimer' | 'unattended-renewal';

/** Outer size of each popup window (not resizable): every popup must be readable in it at 125% scaling. */
export const popupSizes: Record<PopupKind, { width: number; height: number }> = {
  // Tall enough for a sign-in naming a long provider and service, the user's warning about how "Remember" would
  // keep the password, and the buttons, at 125% zoom and text size (e2e/scaling.spec.ts).
  login: { width: 440, height: 760 },
  mfa: { width: 440, height: 420 },
  disclaimer: { width: 520, height: 480 },
  'unattended-renewal': { width: 420, height: 300 },
};
