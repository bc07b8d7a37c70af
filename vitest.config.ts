import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Two projects: Node code (core, main with electron stubbed, browser host, simulators) and the DOM renderer.
export default defineConfig({
  test: {
    // Vitest's default is one worker per core minus one: a single worker on a 2-core machine. Most suites wait on
    // simulators, child processes and real tools rather than compute, so two workers finish sooner on 2 cores.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'app/**/*.test.ts',
            'main/**/*.test.ts',
            'preload/**/*.test.ts',
            'browser-host/**/*.test.ts',
            'simulators/**/*.test.ts',
            'scripts/**/*.test.ts',
            'test-support/**/*.test.ts',
          ],
          setupFiles: ['test-support/vitest/setup-node.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['renderer/**/*.test.tsx', 'renderer/**/*.test.ts'],
          // One happy-dom and one load of React, Testing Library and i18next per worker instead of per file (they were
          // most of this project's time); setup.ts undoes what a test leaves behind (DOM, timers, stubs, language).
          isolate: false,
          setupFiles: ['test-support/renderer/setup.ts'],
        },
      },
    ],
  },
});
