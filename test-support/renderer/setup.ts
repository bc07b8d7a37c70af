/**
 * vitest setup for the renderer project (vitest.config.ts `setupFiles`): runs before every test file. The renderer
 * files share one worker environment (`isolate: false`: one happy-dom and one React load per worker instead of per
 * file), so what a test leaves behind must go after each test, here, not in a module that is imported only once.
 */
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { applyLanguageSetting } from '../../renderer/i18n/i18n';

afterEach(() => {
  // Vitest runs without globals, so Testing Library cannot register its own cleanup.
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  // The i18n instance is a module singleton: the next file starts in the OS language (English here) again.
  applyLanguageSetting(undefined);
});
