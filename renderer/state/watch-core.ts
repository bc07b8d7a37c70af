import type { KeytalkApi } from '../../app/ipc/contract';
import { followPolicy } from './follow-policy';
import { resumeFlow } from './resume-flow';

/** What the app store follows in the core beyond its events: policy changes, and a flow this window did not see start. */
export function watchCore(api: KeytalkApi, store: Parameters<typeof followPolicy>[1] & Parameters<typeof resumeFlow>[1]): void {
  followPolicy(api, store);
  resumeFlow(api, store);
}
