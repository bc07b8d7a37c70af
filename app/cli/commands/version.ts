import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { NEWEST_VERSION, OLDEST_VERSION } from '../../rcdp/versions';

export const versionCommand: CliCommand = {
  name: 'version',
  summary: 'print the agent version and the RCDP protocol versions it speaks',
  usage: ['version'],
  options: {},
  async run(ctx) {
    const info = {
      version: ctx.version,
      rcdp: { newest: NEWEST_VERSION, oldest: OLDEST_VERSION },
      node: process.versions.node,
      home: ctx.home,
    };
    if (ctx.json) ctx.emitJson(info);
    else ctx.say(`keytalk-agent ${ctx.version} (RCDP ${OLDEST_VERSION}–${NEWEST_VERSION}, Node ${process.versions.node})`);
    return EXIT.ok;
  },
};
