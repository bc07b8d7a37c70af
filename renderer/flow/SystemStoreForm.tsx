import type { FlowAnswer, FlowPrompt } from '../../app/model/flow-types';
import { coreMessage } from '../i18n/core-text';
import { strings } from '../strings';

const s = strings.flow;

/**
 * The server asked for the machine store (store-to-system) and the agent may not write it: the user decides
 * whether their own store will do. Nothing is pre-selected, so Enter cannot choose for them.
 */
export function SystemStoreForm({
  prompt,
  onSubmit,
}: {
  prompt: Extract<FlowPrompt, { kind: 'system-store' }>;
  onSubmit: (answer: FlowAnswer) => void;
}) {
  return (
    <section aria-labelledby="flow-title" aria-describedby="system-store-why" data-testid="system-store">
      <h3 id="flow-title">{s.systemStoreTitle}</h3>
      <p id="system-store-why">{s.systemStoreWhy(coreMessage(prompt.reasonText, prompt.reason))}</p>
      <p>{s.systemStoreChoice}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => onSubmit({ kind: 'system-store', useUserStore: true })}>
          {s.useUserStore}
        </button>
        <button type="button" onClick={() => onSubmit({ kind: 'system-store', useUserStore: false })}>
          {s.cancelSystemStore}
        </button>
      </div>
    </section>
  );
}
