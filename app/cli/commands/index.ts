import type { CliCommand } from '../command';
import { certsCommand } from './certs';
import { daemonCommand } from './daemon';
import { enrollCommand } from './enroll';
import { messagesCommand } from './messages';
import { onlineCaCommand } from './onlineca';
import { providersCommand, rccdCommand } from './providers';
import { renewCommand } from './renew';
import { scanCommand } from './scan';
import { smimeCommand } from './smime';
import { statusCommand } from './status';
import { versionCommand } from './version';

/**
 * Every keytalk-agent command, in help order. To add one (daemon, renew, status, scan, onlineca, smime):
 * write commands/<name>.ts exporting a CliCommand and add it here; nothing else changes.
 */
export const commands: CliCommand[] = [rccdCommand, providersCommand, onlineCaCommand, enrollCommand, certsCommand, messagesCommand, renewCommand, scanCommand, smimeCommand, statusCommand, daemonCommand, versionCommand];
