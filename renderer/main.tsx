import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './shell/App';
import { PopupApp, popupFromHash } from './shell/PopupApp';
import { windowApi } from './api';
import { StoreProvider } from './state/context';
import { createAppStore, pageFromHash } from './state/store';
import './styles.css';

async function boot(): Promise<void> {
  // In Electron the preload has set window.keytalk; in a plain browser (browser host) load the WebSocket
  // bridge, which is a separate chunk so the Electron build never runs it.
  if (!window.keytalk) {
    const { createWsBridge } = await import('./bridge/ws-bridge');
    window.keytalk = createWsBridge();
  }
  const popup = popupFromHash(window.location.hash);
  const store = createAppStore(windowApi(), pageFromHash(window.location.hash), popup);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <StoreProvider store={store}>{popup ? <PopupApp kind={popup} /> : <App />}</StoreProvider>
    </StrictMode>,
  );
}

void boot();
