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

/** The German resource (Deutsch), one file per UI area like en/. */
export const de = {
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
