import type { StoreInfo } from '../../app/ipc/contract';
import { coreMessage } from '../i18n/core-text';
import { strings } from '../strings';
import { InlineError } from '../shell/InlineError';
import { storeName, storeUsers } from '../shell/store-names';
import { useApp } from '../state/context';

const s = strings.settings;

/** One catalogue id can stand for several stores (every Firefox profile is "firefox:<profile>"); settings hold the id. */
const catalogId = (id: string) => id.split(':')[0]!;

interface StoreChoice {
  id: string;
  stores: StoreInfo[];
  enabled: boolean;
  available: boolean;
}

function choices(stores: StoreInfo[], enabled: string[]): StoreChoice[] {
  const byId = new Map<string, StoreInfo[]>();
  for (const st of stores) byId.set(catalogId(st.id), [...(byId.get(catalogId(st.id)) ?? []), st]);
  return [...byId].map(([id, list]) => ({
    id,
    stores: list,
    enabled: enabled.includes(id),
    available: list.some((x) => x.available),
  }));
}

/**
 * Where certificates go: one checkbox per store of the agent's catalogue (never free text, so settings.json only
 * ever holds ids this computer has). An unavailable store says why and cannot be switched on; the last store in
 * use cannot be switched off (a certificate must land somewhere).
 */
export function StoresSection() {
  const settings = useApp((st) => st.settings);
  const stores = useApp((st) => st.stores);
  const save = useApp((st) => st.saveSettings);
  if (!settings || stores.length === 0) return null;
  const enabled = settings.stores;
  // Stores the organisation's policy locks: every box disabled, and the section says why.
  const managed = settings.locked?.stores !== undefined;
  const toggle = (id: string, on: boolean) =>
    void save({ stores: on ? [...enabled.filter((x) => x !== id), id] : enabled.filter((x) => x !== id) });
  return (
    <fieldset data-testid="stores">
      <legend>{s.storesTable}</legend>
      <InlineError at="settings:stores" />
      {managed ? (
        <p className="field-hint" data-testid="managed">
          {s.managed}
        </p>
      ) : null}
      {choices(stores, enabled).map((c) => {
        const only = c.enabled && enabled.length === 1;
        const hintId = `store-${c.id}-hint`;
        return (
          <div key={c.id} className="store-choice">
            <div className="row">
              <input
                id={`store-${c.id}`}
                type="checkbox"
                checked={c.enabled}
                disabled={managed || (!c.available && !c.enabled) || only}
                aria-describedby={hintId}
                onChange={(e) => toggle(c.id, e.target.checked)}
              />
              <label htmlFor={`store-${c.id}`}>{c.stores.map((x) => storeName(x.id, x.name)).join(', ')}</label>
            </div>
            <p id={hintId} className="field-hint">
              {c.stores.map((x) => x.location).join(', ')}
              {c.stores[0]?.usedBy.length
                ? ` · ${s.storeUsedBy([...new Set(c.stores.flatMap((x) => storeUsers(x.id, x.usedBy)))])}`
                : ''}
              {c.available
                ? ''
                : ` · ${s.storeUnavailable(c.stores.map((x) => coreMessage(x.unavailableText, x.unavailableReason)).join('; '))}`}
              {only ? ` · ${s.storeLast}` : ''}
            </p>
          </div>
        );
      })}
    </fieldset>
  );
}
