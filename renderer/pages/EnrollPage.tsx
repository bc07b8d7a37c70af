import { useState, type FormEvent } from 'react';
import type { ProviderSummary } from '../../app/ipc/contract';
import { AdvancedOptions } from '../enroll/AdvancedOptions';
import { OnlineCaForm } from '../enroll/OnlineCaForm';
import { RccdImport } from '../enroll/RccdImport';
import { FlowPanel } from '../flow/FlowPanel';
import { InlineError, inlineErrorId } from '../shell/InlineError';
import { strings } from '../strings';
import { useApp } from '../state/context';
import type { EnrollAdvanced } from '../state/store';

const s = strings.enroll;
/** Stable empty list: a selector returning a fresh [] would re-render forever (zustand compares by identity). */
const noProviders: ProviderSummary[] = [];

function ProviderCard({ provider }: { provider: ProviderSummary }) {
  const startEnroll = useApp((st) => st.startEnroll);
  const [service, setService] = useState(provider.services[0]?.name ?? '');
  const [advanced, setAdvanced] = useState<EnrollAdvanced>({});
  const selectId = `service-${provider.name}`;
  // A refused start (unknown service, provider gone) is said beside this provider's select, not at the page top.
  const errorAt = `enroll:${provider.name}`;
  const hasError = useApp((st) => st.errorAt === errorAt && !!st.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (service) void startEnroll(provider.name, service, advanced);
  };
  return (
    <li className="card provider">
      <div className="provider-head">
        {provider.logo?.startsWith('data:image/') ? (
          <img src={provider.logo} alt={s.logoAlt(provider.name)} className="logo" />
        ) : null}
        <h3>{provider.name}</h3>
        {provider.kind === 'onlineca' ? <span className="pill small">{strings.onlineCa.kind}</span> : null}
        <span className="muted small">{provider.server}</span>
      </div>
      <form onSubmit={submit} className="row">
        <label htmlFor={selectId}>{s.service}</label>
        <select
          id={selectId}
          value={service}
          onChange={(e) => setService(e.target.value)}
          required
          aria-invalid={hasError || undefined}
          aria-describedby={hasError ? inlineErrorId(errorAt) : undefined}
        >
          {provider.services.length === 0 ? <option value="">{s.chooseService}</option> : null}
          {provider.services.map((sv) => (
            <option key={sv.name} value={sv.name}>
              {sv.name}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!service}>
          {s.start}
        </button>
      </form>
      <InlineError at={errorAt} />
      {/* Format, CSR and out-of-band are RCDP's; an Online CA provider has no such choices. */}
      {provider.kind === 'keytalk' ? (
        <AdvancedOptions idPrefix={`adv-${provider.name}`} value={advanced} onChange={setAdvanced} />
      ) : null}
    </li>
  );
}

export function EnrollPage() {
  const providers = useApp((st) => st.agent?.providers ?? noProviders);
  const flow = useApp((st) => st.flow);
  return (
    <section aria-labelledby="enroll-title">
      <h2 id="enroll-title">{s.title}</h2>
      {flow ? <FlowPanel /> : null}
      {providers.length === 0 ? <p>{s.firstRun}</p> : null}
      {providers.length > 0 ? (
        <>
          <h3>{s.providers}</h3>
          <ul className="cards">
            {providers.map((p) => (
              <ProviderCard key={p.name} provider={p} />
            ))}
          </ul>
        </>
      ) : null}
      <RccdImport />
      <OnlineCaForm />
    </section>
  );
}
