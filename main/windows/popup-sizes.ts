// The popup kinds and their window sizes, apart from window-manager.ts so the e2e scaling check can lay out
// each popup at its real size without loading anything that belongs to Electron.

export type PopupKind = 'login' | 'mfa' | 'disclaimer' | 'unattended-renewal';

/** Outer size of each popup window (not resizable): every popup must be readable in it at 125% scaling. */
export const popupSizes: Record<PopupKind, { width: number; height: number }> = {
  login: { width: 440, height: 560 },
  mfa: { width: 440, height: 420 },
  disclaimer: { width: 520, height: 480 },
  'unattended-renewal': { width: 420, height: 300 },
};
