import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is loaded from app://keytalk (Electron) or http://127.0.0.1:<port> (browser host): relative
// asset paths, and no inline script anywhere so the strict CSP (script-src 'self') holds.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    target: 'chrome120',
  },
});
