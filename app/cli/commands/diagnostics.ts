import fs from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { cliEngine } from '../services';
import { writeFileAtomic } from '../../system/atomic-write';

export const diagnosticsCommand: CliCommand = {
  name: 'diagnostics',
  summary: 'write a support bundle (zip: versions, providers, stores, settings, status, logs, connection check; no secrets)',
  usage: ['diagnostics [--out FILE] [--no-check]'],
  options: {
    out: {
      value: true,
      valueName: 'FILE',
      description: 'where to write the zip (default: keytalk-agent-support-<time>.zip here)',
    },
    'no-check': { value: false, description: 'leave out the connection check (no network)' },
  },
  async run(ctx, args) {
    const out = args.options.out as string | undefined;
    if (out !== undefined && (await fs.stat(out).catch(() => undefined))?.isDirectory())
      throw new UsageError(`--out ${out} is a folder; give a file name, e.g. ${path.join(out, 'support.zip')}`);
    const deps = cliEngine(ctx);
    const { buildSupportBundle } = await import('../../diagnostics/bundle');
    const bundle = await buildSupportBundle({
      home: ctx.home,
      version: ctx.version,
      stores: deps.stores,
      ...(args.options['no-check']
        ? {}
        : {
            doctor: async () =>
              (await import('../../doctor/run-doctor')).runDoctor({
                home: ctx.home,
                stores: deps.stores,
                secretStore: deps.secretStore,
                appVersion: ctx.version,
              }),
          }),
    });
    const file = path.resolve(out ?? bundle.fileName);
    await writeFileAtomic(file, bundle.data, { mode: 0o600 });
    if (ctx.json) ctx.emitJson({ file, bytes: bundle.data.length, entries: bundle.entries });
    else
      ctx.say(
        `wrote ${file} (${bundle.data.length} bytes, ${bundle.entries.length} files); passwords, keys and tokens are left out`,
      );
    return EXIT.ok;
  },
};
