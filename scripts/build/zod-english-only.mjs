// esbuild plugin: zod's index modules re-export all of its ~60 locales (`export * as locales`), and a bundle cannot
// drop them because `import * as z` keeps the namespace whole. The agent never switches zod's locale (its messages
// come from app/system/describe-zod-issue.ts, in the agent's own languages), so the bundles get English only: the
// locales cost the idle daemon about 2 MB of resident memory (bench/daemon.bench.ts).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const englishLocale = path.join(path.dirname(require.resolve('zod/package.json')), 'v4', 'locales', 'en.js');

export const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`)
        ? { path: 'zod-english-locale', namespace: 'zod-english-only' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, () => ({
      contents: `export { default as en } from ${JSON.stringify(englishLocale)};`,
      resolveDir: path.dirname(englishLocale),
    }));
  },
};
