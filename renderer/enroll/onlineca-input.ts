import type { RequestOf } from '../../app/ipc/contract';
import { httpsUrlProblem, isAllowedProviderName, isAllowedRenewPercent, parseSha256 } from '../../app/model/onlineca-input-rules';
import { strings } from '../strings';

const s = strings.onlineCa;

/** What the "Add an Online CA" form holds: text as typed. */
export interface OnlineCaInput {
  name: string;
  url: string;
  pin: string;
  renewPercent: string;
}

export type OnlineCaField = keyof OnlineCaInput;
export type OnlineCaErrors = Partial<Record<OnlineCaField, string>>;

export const emptyOnlineCaInput: OnlineCaInput = { name: '', url: '', pin: '', renewPercent: '10' };

/**
 * The form's checks, with the same rules the core applies (app/model/onlineca-input-rules.ts) but messages from
 * strings.ts: the user sees what is wrong and how to fix it before anything is sent. The core checks again.
 */
export function checkOnlineCaInput(
  input: OnlineCaInput,
  existingNames: readonly string[],
): { errors: OnlineCaErrors; request?: RequestOf<'providers:add-onlineca'> } {
  const errors: OnlineCaErrors = {};
  const name = input.name.trim();
  if (!name) errors.name = s.nameMissing;
  else if (!isAllowedProviderName(name)) errors.name = s.nameInvalid;
  else if (existingNames.includes(name)) errors.name = s.nameTaken(name);

  const url = input.url.trim();
  const urlProblem = url ? httpsUrlProblem(url) : 'missing';
  if (urlProblem === 'missing') errors.url = s.urlMissing;
  else if (urlProblem === 'not-a-url') errors.url = s.urlInvalid;
  else if (urlProblem === 'not-https') errors.url = s.urlNotHttps;
  else if (urlProblem === 'has-credentials') errors.url = s.urlCredentials;

  const pin = input.pin.trim() ? parseSha256(input.pin) : undefined;
  if (input.pin.trim() && !pin) errors.pin = s.pinInvalid;

  const pctText = input.renewPercent.trim();
  const pct = Number(pctText);
  if (!/^\d+$/.test(pctText) || !isAllowedRenewPercent(pct)) errors.renewPercent = s.renewInvalid;

  if (Object.keys(errors).length) return { errors };
  return { errors, request: { name, url, renewPercent: pct, ...(pin ? { pinSha256: pin } : {}) } };
}
