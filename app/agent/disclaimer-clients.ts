import path from 'node:path';
import type { DisclaimerChange } from '../scheduler/periodic-jobs';
import * as z from 'zod/mini';
import { writeJsonAtomic } from '../system/atomic-write';
import { withStateLock } from '../system/home-lock';
import { readStateFile } from '../system/state-file';

const ClientsSchema = z.record(z.string(), z.array(z.string()));

/**
 * Which mail clients got each address's disclaimer (<state>/disclaimer-clients.json, e-mail → client names). The
 * scheduler's disclaimer state knows what the server sent; only the mail side knows where it was applied, and the
 * Settings page shows both, so the agent keeps this beside the scheduler's state.
 */
export function disclaimerClients(stateDir: string) {
  const file = path.join(stateDir, 'disclaimer-clients.json');
  const read = () => readStateFile(file, ClientsSchema, {});
  return {
    read,
    /** After the mail side applied (or removed) an address's disclaimer. */
    async record(change: DisclaimerChange, applied: string[]): Promise<void> {
      // Under the home lock: the tray app and the daemon both apply disclaimers for their addresses.
      await withStateLock(stateDir, async () => {
        const clients = await read();
        if (change.disclaimer) clients[change.email] = applied;
        else delete clients[change.email];
        await writeJsonAtomic(file, clients);
      });
    },
  };
}
