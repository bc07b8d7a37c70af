/**
 * vitest setup for the node project (vitest.config.ts `setupFiles`): runs in each test file's process before it.
 * Simulators started here take their RSA keys from the shared test key cache (simulators/pki/key-cache.ts) instead
 * of generating fresh ones in every file. `KT_TEST_KEY_CACHE=off` generates every key, as before.
 */
import { useTestKeyCache } from '../../simulators/pki/key-cache';

useTestKeyCache();
