import { messageStore } from '../engine/state';
import type { MailApplyReport } from '../mail/mail-integration';

/**
 * Steps the user has to take by hand after an S/MIME enrollment (e.g. choosing the certificate in Outlook
 * when the agent leaves the user's own security settings alone) become messages of the provider: the
 * Messages page and `keytalk-agent messages` show them, unread, like the server's own messages.
 */
export async function publishUserSteps(
  home: string,
  provider: string,
  reports: MailApplyReport[],
  now = new Date(),
): Promise<number> {
  const steps = [...new Set(reports.flatMap((r) => r.userSteps ?? []))];
  if (!steps.length) return 0;
  return messageStore.add(
    home,
    provider,
    steps.map((text) => ({ text: `KeyTalk Agent: ${text}`, utc: now.toISOString() })),
  );
}
