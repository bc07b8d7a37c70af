import type { DisclaimerSummary } from '../ipc/contract';
import type { RequestHandlers } from '../ipc/dispatcher';
import { parseDisclaimerZip } from '../mail/disclaimer-zip';
import { DisclaimerState } from '../scheduler/periodic-jobs';
import type { AgentContext } from './agent-context';
import { disclaimerClients } from './disclaimer-clients';

type DisclaimerChannels = 'disclaimers:list' | 'disclaimers:check';

/**
 * E-mail disclaimers on the Settings page: what the server sent per address (as readable text), where it was
 * applied, and "check now", which runs the scheduler's disclaimer job at once and reports which addresses failed.
 */
export function disclaimerHandlers(ctx: AgentContext): Pick<RequestHandlers, DisclaimerChannels> {
  const state = new DisclaimerState(ctx.layout.state);
  const clients = disclaimerClients(ctx.layout.state);
  const summaries = async (): Promise<DisclaimerSummary[]> => {
    const appliedTo = await clients.read();
    return (await state.list()).map((d) => ({
      provider: d.provider,
      service: d.service,
      email: d.email,
      name: d.name,
      preview: disclaimerPreview(d.zipBase64),
      appliedTo: appliedTo[d.email] ?? [],
      checkedAt: d.checkedAt,
      ...(d.appliedAt ? { appliedAt: d.appliedAt } : {}),
    }));
  };
  return {
    'disclaimers:list': async () => summaries(),
    'disclaimers:check': async () => {
      const scheduler = ctx.scheduler();
      if (!scheduler)
        throw new Error("disclaimers cannot be checked: the agent's scheduler is not running; restart the agent and try again");
      const errors = await scheduler.checkDisclaimers();
      if (errors.length)
        throw new Error(`checking the e-mail disclaimer failed for ${errors.join('; ')}; the agent tries again later by itself`);
      return summaries();
    },
  };
}

/**
 * Text of a disclaimer for the UI: the zip's signature.txt, else its sanitised HTML with every tag removed.
 * Always plain text (the renderer shows it as text); a zip that cannot be read says so instead.
 */
export function disclaimerPreview(zipBase64: string, maxChars = 2000): string {
  try {
    const content = parseDisclaimerZip(zipBase64);
    const text =
      content.text ??
      (content.html ?? '')
        .replace(/<(br|\/p|\/div|\/li)[^>]*>/gi, '\n')
        .replace(/<[^>]*>/g, '')
        .replace(/&nbsp;/g, ' ')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&');
    const trimmed = text.replace(/\n{3,}/g, '\n\n').trim();
    return trimmed.length > maxChars ? `${trimmed.slice(0, maxChars)}…` : trimmed;
  } catch (err) {
    return `(the disclaimer package cannot be shown: ${(err as Error).message})`;
  }
}
