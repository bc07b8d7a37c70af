import { useEffect, useState } from 'react';
import { coreMessage } from '../i18n/core-text';
import type { FlowOutcome, FlowProgress, FlowPrompt } from '../../app/model/flow-types';
import type { FlowAnswer } from '../../app/model/flow-types';
import { strings } from '../strings';
import { useApp } from '../state/context';
import { ApproverEmailForm, CertOptionsForm, ChallengeForm, ChangePasswordForm, CredentialsForm, OtpForm } from './forms';
import { ConfirmTrustForm } from './ConfirmTrustForm';
import { SystemStoreForm } from './SystemStoreForm';

const s = strings.flow;

/** Seconds left of a wait, counting down live from mount (the panel remounts it for each progress event). */
function useCountdown(seconds: number): number {
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    const started = Date.now();
    const timer = setInterval(() => {
      const next = Math.max(0, Math.ceil(seconds - (Date.now() - started) / 1000));
      setLeft(next);
      if (next === 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [seconds]);
  return left;
}

function WaitNotice({ progress }: { progress: Extract<FlowProgress, { kind: 'wait' }> }) {
  const left = useCountdown(progress.seconds);
  const text =
    progress.reason === 'delay'
      ? s.delay(left)
      : progress.reason === 'locked'
        ? s.locked(left)
        : progress.reason === 'submitted'
          ? s.submitted(left)
          : s.inProgress(left);
  return (
    <p className={progress.reason === 'locked' ? 'error-text' : 'wait'} data-testid="flow-wait">
      {text}
    </p>
  );
}

export function ProgressView({ progress }: { progress: FlowProgress }) {
  if (progress.kind === 'wait') return <WaitNotice progress={progress} />;
  if (progress.kind === 'mfa') return <p>{s.mfa(progress.state, progress.authority)}</p>;
  return (
    <p>
      {s.step(progress.step)}
      {progress.detail ? <span className="muted"> — {coreMessage(progress.detailText, progress.detail)}</span> : null}
    </p>
  );
}

export function OutcomeView({ outcome }: { outcome: FlowOutcome }) {
  if (outcome.status === 'issued')
    return (
      <>
        <p className="success-text">{s.issued(outcome.subject)}</p>
        {/* The organisation's policy kept it out of the machine store the server asked for. */}
        {outcome.notice ? <p data-testid="flow-issued-notice">{coreMessage(outcome.notice)}</p> : null}
      </>
    );
  if (outcome.status === 'pending-approval') return <p>{s.pending(outcome.service)}</p>;
  if (outcome.status === 'password-changed')
    return <p className="success-text">{s.passwordChanged(outcome.userId ?? `${outcome.provider} / ${outcome.service}`)}</p>;
  // The core's sentence in the user's language (its English for an uncoded one), then what its failure code means.
  const reason = s.failureReason(outcome.code);
  return (
    <>
      <p className="error-text">{s.failed(coreMessage(outcome.text, outcome.message))}</p>
      {reason ? <p data-testid="flow-failure-reason">{reason}</p> : null}
    </>
  );
}

export function PromptView({
  prompt,
  signInTo,
  onSubmit,
  onCancel,
}: {
  prompt: FlowPrompt;
  /** The provider and service the flow is for, when the core said. */
  signInTo?: { provider?: string; service?: string };
  onSubmit: (a: FlowAnswer) => void;
  onCancel: () => void;
}) {
  switch (prompt.kind) {
    case 'credentials':
      return <CredentialsForm prompt={prompt} signInTo={signInTo} onSubmit={onSubmit} onCancel={onCancel} />;
    case 'challenge':
      return <ChallengeForm prompt={prompt} onSubmit={onSubmit} onCancel={onCancel} />;
    case 'otp':
      return <OtpForm prompt={prompt} onSubmit={onSubmit} onCancel={onCancel} />;
    case 'change-password':
      return <ChangePasswordForm prompt={prompt} onSubmit={onSubmit} onCancel={onCancel} />;
    case 'approver-email':
      return <ApproverEmailForm prompt={prompt} onSubmit={onSubmit} onCancel={onCancel} />;
    case 'cert-options':
      return <CertOptionsForm prompt={prompt} onSubmit={onSubmit} onCancel={onCancel} />;
    case 'confirm-trust':
      return <ConfirmTrustForm prompt={prompt} onSubmit={onSubmit} />;
    case 'system-store':
      return <SystemStoreForm prompt={prompt} onSubmit={onSubmit} />;
  }
}

/** The running enrollment: the current prompt as a form, progress (with DELAY countdown) and the outcome. */
export function FlowPanel() {
  const flow = useApp((st) => st.flow);
  const answer = useApp((st) => st.answer);
  const cancel = useApp((st) => st.cancelFlow);
  const dismiss = useApp((st) => st.dismissFlow);
  if (!flow) return null;
  return (
    <section className="card flow" aria-live="polite" data-testid="flow-panel">
      {flow.progress ? <ProgressView key={flow.progressSeq} progress={flow.progress} /> : null}
      {flow.prompt ? (
        <PromptView
          key={flow.promptSeq}
          prompt={flow.prompt}
          signInTo={{ provider: flow.provider, service: flow.service }}
          onSubmit={(a) => void answer(a)}
          onCancel={() => void cancel()}
        />
      ) : null}
      {flow.outcome ? (
        <>
          <OutcomeView outcome={flow.outcome} />
          <button type="button" onClick={dismiss}>
            {strings.common.close}
          </button>
        </>
      ) : null}
      {!flow.prompt && !flow.outcome ? (
        <button type="button" onClick={() => void cancel()}>
          {strings.common.cancel}
        </button>
      ) : null}
    </section>
  );
}
