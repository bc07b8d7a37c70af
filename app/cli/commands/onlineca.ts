import readline from 'node:readline/promises';
import { UsageError } from '../args';
import type { CliCommand, CliContext } from '../command';
import { EXIT, exitCodeFor } from '../exit-codes';
import { scriptedFrontEnd, ttyFrontEnd, type CliInputs } from '../front-ends';
import { stdinLines } from '../line-source';
import { table } from '../output';
import { cliEngine } from '../services';
import { FlowCancelledError, FlowFailure, MissingInputError, type FlowFrontEnd } from '../../engine/front-end';
import {
  addOnlineCaProvider,
  bootstrapTrust,
  enrollOnlineCa,
  listOnlineCaProviders,
  removeOnlineCaProvider,
  type OnlineCaProviderRecord,
} from '../../onlineca/index';

/**
 * `keytalk-agent onlineca add|list|remove|trust|enroll`: Online CA providers (../../onlineca). The trust prompt is
 * handled here because only this command can meet it: it prints the CA fingerprints and needs a typed "yes" on a
 * terminal, or --accept-fingerprints when scripted (meant for a fingerprint the operator checked out of band;
 * `add --pin` is the safer scripted route).
 */

function withTrustPrompt(ctx: CliContext, inner: FlowFrontEnd, acceptFlag: boolean): FlowFrontEnd {
  return {
    progress: (p) => inner.progress(p),
    async prompt(p) {
      if (p.kind !== 'confirm-trust') return inner.prompt(p);
      ctx.stderr.write(
        `First contact with the Online CA at ${p.host}. Its trust roots are:\n${p.fingerprints.map((f) => `  ${f}`).join('\n')}\n`,
      );
      if (acceptFlag) return { kind: 'confirm-trust', accept: true };
      if (!ctx.interactive) {
        throw new MissingInputError(
          ['trust'],
          `confirm the fingerprints above with --accept-fingerprints, or add the provider with --pin SHA256`,
        );
      }
      // One plain (echoed) question before any credential prompt; its own short-lived readline interface.
      const rl = readline.createInterface({ input: ctx.stdin, output: ctx.stderr, terminal: true });
      let answer: string;
      try {
        answer = await rl.question('Compare them with what the CA publishes. Trust this CA? Type "yes": ');
      } catch {
        throw new FlowCancelledError();
      } finally {
        rl.close();
      }
      return { kind: 'confirm-trust', accept: answer.trim().toLowerCase() === 'yes' };
    },
  };
}

function describe(p: OnlineCaProviderRecord): string[] {
  const trust = p.trust
    ? `${p.trust.method === 'pin' ? 'pinned' : 'confirmed'} ${p.trust.acceptedAt.slice(0, 10)}`
    : 'not yet trusted';
  return [p.name, p.url, trust, `${p.renewPercent ?? 10}%`];
}

async function failed(ctx: CliContext, err: unknown): Promise<number> {
  if (err instanceof FlowFailure || err instanceof FlowCancelledError || err instanceof MissingInputError) {
    const code = err instanceof FlowFailure ? err.code : err instanceof FlowCancelledError ? 'cancelled' : 'needs-input';
    if (ctx.json) ctx.emitJson({ status: 'failed', code, message: err.message });
    else ctx.stderr.write(`keytalk-agent: ${err.message}\n`);
    return exitCodeFor(code);
  }
  throw err;
}

export const onlineCaCommand: CliCommand = {
  name: 'onlineca',
  summary: 'add, trust, list, remove or enroll from Online CA providers',
  usage: [
    'onlineca add NAME URL [--pin SHA256] [--renew-percent N]',
    'onlineca trust NAME [--accept-fingerprints]',
    'onlineca enroll NAME [--user U] [--password-stdin] [--store ID]',
    'onlineca list',
    'onlineca remove NAME',
  ],
  options: {
    pin: {
      value: true,
      valueName: 'SHA256',
      description: 'SHA-256 fingerprint of the CA the server must chain to (no trust prompt)',
    },
    'renew-percent': { value: true, valueName: 'N', description: 'renew when less than N% of the lifetime remains (default 10)' },
    'accept-fingerprints': {
      value: false,
      description: 'trust the shown CA fingerprints without asking (scripted first contact)',
    },
    user: { value: true, valueName: 'NAME', description: 'user name (else KEYTALK_USER)' },
    'password-stdin': { value: false, description: 'read the password from the first line of stdin (else KEYTALK_PASSWORD)' },
    store: {
      value: true,
      multiple: true,
      valueName: 'ID',
      description: 'store to write to (repeatable; default: the configured stores)',
    },
  },
  async run(ctx, args) {
    const [sub, name, url, extra] = args.positionals;
    const o = args.options;
    const noMore = (n: number): void => {
      const x = args.positionals[n];
      if (x !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(x)}`);
    };
    switch (sub) {
      case 'add': {
        if (!name || !url)
          throw new UsageError(
            'onlineca add needs a name and the service URL: keytalk-agent onlineca add NAME https://ca.example.org/onlineca/',
          );
        if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
        const pct = o['renew-percent'] === undefined ? undefined : Number(o['renew-percent']);
        if (pct !== undefined && !Number.isFinite(pct))
          throw new UsageError(`--renew-percent ${String(o['renew-percent'])} is not a number`);
        let record: OnlineCaProviderRecord;
        try {
          record = await addOnlineCaProvider(ctx.home, name, url, {
            pinnedFingerprint: o.pin as string | undefined,
            renewPercent: pct,
          });
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        if (ctx.json) ctx.emitJson(record);
        else
          ctx.say(
            `added Online CA provider ${record.name} (${record.url})${record.pinnedFingerprint ? ', pinned' : ''}; next: keytalk-agent onlineca trust ${JSON.stringify(record.name).slice(1, -1)}`,
          );
        return EXIT.ok;
      }
      case 'list': {
        noMore(1);
        const list = await listOnlineCaProviders(ctx.home);
        if (ctx.json) ctx.emitList('providers', list);
        else if (!list.length) ctx.say('no Online CA providers yet; add one with: keytalk-agent onlineca add NAME URL');
        else ctx.say(table(list.map(describe), ['PROVIDER', 'URL', 'TRUST', 'RENEW']));
        return EXIT.ok;
      }
      case 'remove': {
        if (!name) throw new UsageError('onlineca remove needs the provider name');
        noMore(2);
        await removeOnlineCaProvider(ctx.home, name);
        if (ctx.json) ctx.emitJson({ removed: name });
        else ctx.say(`removed Online CA provider ${name}`);
        return EXIT.ok;
      }
      case 'trust': {
        if (!name) throw new UsageError('onlineca trust needs the provider name');
        noMore(2);
        const noLines = { next: async () => undefined, close() {} };
        const fe = withTrustPrompt(ctx, scriptedFrontEnd({}, noLines, ctx.stderr, ctx.json), o['accept-fingerprints'] === true);
        try {
          const r = await bootstrapTrust(ctx.home, name, { frontEnd: fe });
          if (ctx.json) ctx.emitJson(r.trust);
          else
            ctx.say(
              `${r.refreshed ? 'refreshed' : 'stored'} ${r.certificates.length} trust root certificate(s) for ${name} (${r.trust.format} format)`,
            );
          return EXIT.ok;
        } catch (err) {
          return failed(ctx, err);
        }
      }
      case 'enroll': {
        if (!name) throw new UsageError('onlineca enroll needs the provider name');
        noMore(2);
        const lines = stdinLines(ctx.stdin);
        let password = ctx.env.KEYTALK_PASSWORD;
        if (o['password-stdin']) {
          if (ctx.stdin.isTTY) throw new UsageError('--password-stdin needs the password piped in (stdin is a terminal)');
          password = (await lines.next())?.replace(/\r$/, '');
          if (!password) throw new UsageError('--password-stdin given but stdin is empty');
        }
        const inputs: CliInputs = { user: (o.user as string | undefined) ?? ctx.env.KEYTALK_USER, password };
        const inner = ctx.interactive
          ? ttyFrontEnd(inputs, ctx.stdin, ctx.stderr as never, ctx.json)
          : scriptedFrontEnd(inputs, lines, ctx.stderr, ctx.json);
        const fe = withTrustPrompt(ctx, inner, o['accept-fingerprints'] === true);
        try {
          const deps = cliEngine(ctx);
          const all = await deps.stores();
          const wanted = o.store as string[] | undefined;
          const stores = wanted ? all.filter((s) => wanted.includes(s.id)) : all;
          if (wanted && stores.length !== wanted.length)
            throw new UsageError(`unknown store in --store ${wanted.join(', ')}; configured: ${all.map((s) => s.id).join(', ')}`);
          const r = await enrollOnlineCa({ home: ctx.home, name, frontEnd: fe, stores, secretStore: deps.secretStore });
          if (ctx.json) ctx.emitJson(r.outcome);
          else
            ctx.say(
              `issued ${r.outcome.subject}\n  valid       ${r.outcome.notBefore} – ${r.outcome.notAfter}\n  sha-256     ${r.outcome.sha256Fingerprint}\n  stored in   ${r.outcome.stores.join(', ')}\n  renewal     ${r.renewal.reason}`,
            );
          return EXIT.ok;
        } catch (err) {
          return failed(ctx, err);
        } finally {
          lines.close();
          (inner as { close?: () => void }).close?.();
        }
      }
      default:
        throw new UsageError(
          sub
            ? `unknown onlineca sub-command ${JSON.stringify(sub)}; use add, trust, enroll, list or remove`
            : 'onlineca needs a sub-command: add, trust, enroll, list or remove',
        );
    }
  },
};
