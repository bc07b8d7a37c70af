import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../args';
import { describeRepaired, repairedFiles } from '../../config/repaired-files';
import type { CliCommand, CliContext } from '../command';
import { EXIT } from '../exit-codes';
import { table } from '../output';
import { cliEngine } from '../services';
import { describeFileError } from '../../system/file-errors';
import type { ProviderSummary } from '../../ipc/contract';

function printProviders(ctx: CliContext, list: ProviderSummary[]) {
  if (ctx.json) return ctx.emitList('providers', list);
  if (!list.length) return ctx.say('no providers imported yet; run: keytalk-agent rccd import FILE.rccd');
  ctx.say(
    table(
      list.map((p) => [p.name, p.server, String(p.contentVersion ?? ''), p.services.map((s) => s.name).join(', ')]),
      ['PROVIDER', 'SERVER', 'VERSION', 'SERVICES'],
    ),
  );
}

export const providersCommand: CliCommand = {
  name: 'providers',
  summary: 'list imported providers and their services',
  usage: ['providers'],
  options: {},
  async run(ctx) {
    printProviders(ctx, await cliEngine(ctx).providerRegistry.list());
    // A damaged provider.json was moved aside: say so, rather than let the provider silently vanish from the list.
    for (const f of await repairedFiles(ctx.home))
      if (f.name === 'provider.json') ctx.stderr.write(`warning: ${describeRepaired(f)}\n`);
    return EXIT.ok;
  },
};

export const rccdCommand: CliCommand = {
  name: 'rccd',
  summary: 'import, list or remove provider configurations (RCCD files)',
  usage: ['rccd import FILE [--force] [--accept-unsigned]', 'rccd list', 'rccd remove NAME'],
  options: {
    force: { value: false, description: 'import even when the RCCD is not newer than the installed one' },
    'accept-unsigned': {
      value: false,
      description: 'import an RCCD that is unsigned or signed only by its own CAs (only if it came from a trusted channel)',
    },
  },
  async run(ctx, args) {
    const [sub, arg, extra] = args.positionals;
    const registry = cliEngine(ctx).providerRegistry;
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
    switch (sub) {
      case 'import': {
        if (!arg) throw new UsageError('rccd import needs the RCCD file: keytalk-agent rccd import FILE');
        let data: Buffer;
        try {
          // Checked before reading: a wrong file (a disk image, a FIFO) would be read whole into memory, or forever.
          const st = await fs.stat(arg);
          const { DEFAULT_ZIP_LIMITS } = await import('../../rccd/zip-guard');
          if (!st.isFile() && !st.isDirectory())
            throw new UsageError(`${arg} is not a file; give the RCCD file (.rccd) your administrator sent`);
          if (st.size > DEFAULT_ZIP_LIMITS.maxArchiveBytes)
            throw new UsageError(
              `${arg} is ${st.size} bytes; an RCCD file is at most ${DEFAULT_ZIP_LIMITS.maxArchiveBytes} bytes — is it the right file?`,
            );
          data = await fs.readFile(arg);
        } catch (err) {
          if (err instanceof UsageError) throw err;
          throw new UsageError(describeFileError(err, arg) ?? `cannot read ${arg}: ${(err as Error).message}`);
        }
        const p = await registry.import(path.basename(arg), data, {
          force: args.options.force === true,
          acceptUnsigned: args.options['accept-unsigned'] === true,
        });
        if (ctx.json) ctx.emitJson(p);
        else
          ctx.say(
            `imported provider ${p.name} (${p.server}, content version ${p.contentVersion ?? '?'}): services ${p.services.map((s) => s.name).join(', ')}`,
          );
        // The import's warnings (unsigned, self-vouched, a "CA" that is not a CA) were once computed and never shown.
        for (const w of p.warnings ?? []) ctx.stderr.write(`warning: ${w}\n`);
        return EXIT.ok;
      }
      case 'list':
        if (arg !== undefined) throw new UsageError('rccd list takes no argument');
        printProviders(ctx, await registry.list());
        return EXIT.ok;
      case 'remove': {
        if (!arg) throw new UsageError('rccd remove needs the provider name: keytalk-agent rccd remove NAME');
        await registry.remove(arg);
        if (ctx.json) ctx.emitJson({ removed: arg });
        else ctx.say(`removed provider ${arg}`);
        return EXIT.ok;
      }
      default:
        throw new UsageError(
          sub
            ? `unknown rccd sub-command ${JSON.stringify(sub)}; use import, list or remove`
            : 'rccd needs a sub-command: import FILE, list or remove NAME',
        );
    }
  },
};
