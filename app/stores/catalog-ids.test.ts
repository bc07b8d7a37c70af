import { describe, expect, it } from 'vitest';
import { storeIdsFor } from './catalog-ids';
import { storeCatalog } from './registry';

describe('store ids without the store modules', () => {
  for (const platform of ['linux', 'win32', 'darwin', 'freebsd'] as const) {
    it(`lists the same ids as the registry on ${platform}`, () => {
      expect([...storeIdsFor(platform)].sort()).toEqual(
        storeCatalog(platform)
          .map((e) => e.id)
          .sort(),
      );
    });
  }
});
