import path from 'node:path';
import * as z from 'zod/mini';
import { homeLayout } from '../config/home';
import { writeJsonAtomic } from '../system/atomic-write';
import { readStateFile } from '../system/state-file';
import { serialized } from './state';

/**
 * What the server last said about a user's password, per provider/service/user: `state/password-validity.json`.
 * The enrollment records carry password-validity too, but only for sign-ins that ended in a certificate; a
 * voluntary password change issues none, and without this file the "expires in 3 days" warning would outlive the
 * change until the next enrollment. `validity` absent = unknown (just changed: the server reports the new
 * password's validity only at the next sign-in, 2.6.7 "the user must re-authenticate").
 */
export interface PasswordCheck {
  provider: string;
  service: string;
  userId?: string;
  /** ISO time of the sign-in or change. */
  at: string;
  /** Seconds from `at` until the password expires, -1 never; absent: not known since a change. */
  validity?: number;
}

const Schema = z.record(
  z.string(),
  z.looseObject({ provider: z.string(), service: z.string(), at: z.string(), validity: z.optional(z.number()) }),
) as unknown as z.ZodMiniType<Record<string, PasswordCheck>>;

const fileOf = (home: string) => path.join(homeLayout(home).state, 'password-validity.json');
export const passwordCheckKey = (c: Pick<PasswordCheck, 'provider' | 'service' | 'userId'>) =>
  `${c.provider}\u0000${c.service}\u0000${c.userId ?? ''}`;

export const passwordChecks = {
  async list(home: string): Promise<PasswordCheck[]> {
    return Object.values(await readStateFile(fileOf(home), Schema, {}));
  },
  async record(home: string, check: PasswordCheck): Promise<void> {
    const f = fileOf(home);
    await serialized(f, async () => {
      const all = await readStateFile(f, Schema, {});
      all[passwordCheckKey(check)] = check;
      await writeJsonAtomic(f, all);
    });
  },
};
