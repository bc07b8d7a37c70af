import os from 'node:os';
import { processRunner } from '../system/command-runner';
import { createMailIntegration, type MailIntegration } from './mail-integration';

/** The mail clients of the user running the agent (Thunderbird profiles, Outlook signatures); `userHome` for tests. */
export function userMailIntegration(log?: (message: string) => void, userHome = os.homedir()): MailIntegration {
  return createMailIntegration({ runner: processRunner, userHome, env: process.env, log });
}
