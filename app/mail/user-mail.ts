import os from 'node:os';
import { processRunner } from '../system/command-runner';
import { createMailIntegration, type MailIntegration } from './mail-integration';

/** The mail clients of the user running the agent (Thunderbird profiles, Outlook signatures). */
export function userMailIntegration(log?: (message: string) => void): MailIntegration {
  return createMailIntegration({ runner: processRunner, userHome: os.homedir(), env: process.env, log });
}
