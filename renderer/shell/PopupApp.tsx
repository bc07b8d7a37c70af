import { useEffect } from 'react';
import { FlowPanel } from '../flow/FlowPanel';
import { useApp } from '../state/context';
import { strings } from '../strings';
import { Alerts } from './Alerts';
import { PopupBanner } from './PopupBanner';
import { useLanguage } from './use-language';
import { useTheme } from './use-theme';

export type PopupKind = keyof typeof strings.popup & ('login' | 'mfa' | 'disclaimer' | 'unattended-renewal');

/** What a small popup window shows (main opens it with `#popup=<kind>`): just the one task. */
export function PopupApp({ kind }: { kind: PopupKind }) {
  const load = useApp((s) => s.load);
  const flow = useApp((s) => s.flow);
  const loadPopup = useApp((s) => s.loadPopup);
  useTheme();
  useLanguage();
  useEffect(() => {
    void load();
    void loadPopup();
  }, [load, loadPopup]);
  return (
    <main className="popup" aria-label={strings.popup[kind]}>
      <h1 className="visually-hidden">{strings.popup[kind]}</h1>
      <Alerts />
      {/* Once a sign-in runs, it is the window's one task: the request above it would push its form out of the
          small window, and the request's own "Continue" leads to a page a popup window does not show. */}
      {flow ? <FlowPanel /> : <PopupBanner />}
    </main>
  );
}

export function popupFromHash(hash: string): PopupKind | undefined {
  const kind = new URLSearchParams(hash.replace(/^#/, '')).get('popup');
  return kind === 'login' || kind === 'mfa' || kind === 'disclaimer' || kind === 'unattended-renewal' ? kind : undefined;
}
