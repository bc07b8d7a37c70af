import { useEffect } from 'react';
import { strings } from '../strings';
import { useApp } from '../state/context';
import { formatDateTime } from '../shell/format-date';

const s = strings.certificates;

/** Requests the server holds for an approver; "check now" asks again instead of waiting for the scheduler. */
export function PendingApprovals() {
  const approvals = useApp((st) => st.approvals);
  const refresh = useApp((st) => st.refreshApprovals);
  const check = useApp((st) => st.checkApprovals);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  if (approvals.length === 0) return null;
  return (
    <section aria-labelledby="approvals-title" data-testid="approvals">
      <h3 id="approvals-title">{s.approvalsTitle}</h3>
      <ul className="plain">
        {approvals.map((a) => (
          <li key={`${a.provider}/${a.service}`}>{s.approvalSince(a.provider, a.service, formatDateTime(a.since))}</li>
        ))}
      </ul>
      <button type="button" onClick={() => void check()}>
        {s.checkNow}
      </button>
    </section>
  );
}
