import { certificates } from './certificates';
import { core } from './core';
import { diagnostics } from './diagnostics';
import { enroll } from './enroll';
import { flow } from './flow';
import { flowProgress } from './flow-progress';
import { invite } from './invite';
import { scanner } from './scanner';
import { settings } from './settings';
import { shell } from './shell';
import { stores } from './stores';

/** The English resource: the reference every other language is typed and tested against. One file per UI area. */
export const en = {
  ...shell,
  ...certificates,
  ...enroll,
  ...flow,
  ...flowProgress,
  ...invite,
  ...settings,
  ...stores,
  ...scanner,
  ...diagnostics,
  ...core,
};
export type Texts = typeof en;
