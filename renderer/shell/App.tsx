import { useEffect } from 'react';
import { CertificatesPage } from '../pages/CertificatesPage';
import { EnrollPage } from '../pages/EnrollPage';
import { InvitePage } from '../pages/InvitePage';
import { MessagesPage } from '../pages/MessagesPage';
import { SettingsPage } from '../pages/SettingsPage';
import { useApp } from '../state/context';
import { strings } from '../strings';
import { Alerts } from './Alerts';
import { NavBar } from './NavBar';
import { PasswordBanner } from './PasswordBanner';
import { PopupBanner } from './PopupBanner';
import { StatusHeader } from './StatusHeader';
import { useLanguage } from './use-language';
import { useTheme } from './use-theme';

const pageViews = {
  certificates: CertificatesPage,
  enroll: EnrollPage,
  messages: MessagesPage,
  invite: InvitePage,
  settings: SettingsPage,
};

/** The main window: status header, navigation, the current page. */
export function App() {
  const page = useApp((s) => s.page);
  const load = useApp((s) => s.load);
  const connected = useApp((s) => s.connected);
  useTheme();
  useLanguage();
  useEffect(() => {
    void load();
  }, [load]);
  const Page = pageViews[page];
  return (
    <div className="shell">
      <StatusHeader />
      <NavBar />
      <main className="page" aria-label={strings.nav[page]}>
        <Alerts />
        <PopupBanner />
        <PasswordBanner />
        {/* Only with the agent's answer: before it (or without it: no access key, a refused link) a page would show a
            false empty state ("No certificates yet"); the alert above says what to do instead. */}
        {connected ? <Page /> : null}
      </main>
    </div>
  );
}
