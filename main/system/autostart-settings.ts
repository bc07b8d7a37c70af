import type { RequestHandlers } from '../../app/ipc/dispatcher';
import type { Autostart } from './autostart';

/**
 * Settings are the core's; making "autostart" real is the desktop shell's job. Wrap settings:set so the
 * login item follows the saved value, and report a failure instead of pretending it worked.
 */
export function withAutostart(handlers: RequestHandlers, autostart: Pick<Autostart, 'set'>): RequestHandlers {
  return {
    ...handlers,
    'settings:set': async (patch) => {
      const saved = await handlers['settings:set'](patch);
      if (patch.autostart !== undefined) await autostart.set(saved.autostart);
      return saved;
    },
  };
}
