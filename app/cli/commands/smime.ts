import { findOwnSmimeCertificate } from '../../smime/own-certificate';
import { inviteSmimeRecipients, SelfServiceError, type Recipient } from '../../smime/self-service';
import { applySelfServiceAddressBooks } from '../../smime/self-service-handlers';
import { SSAPI_PORT, withSelfService } from '../../smime/self-service-connection';
import { UsageError } from '../args';
import { errorLine } from '../cli-output';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';

export const smimeCommand: CliCommand = {
  name: 'smime',
  summary: 'S/MIME: invite external recipients to get a certificate (Self-Service API)',
  usage: [
    'smime invite --email ADDR [--mobile NUMBER] [--email ADDR …] [--provider P] [--service S] [--async] [--ssapi-url URL]',
  ],
  options: {
    email: {
      value: true,
      multiple: true,
      valueName: 'ADDR',
      description: 'recipient e-mail address (repeat for several recipients)',
    },
    mobile: {
      value: true,
      multiple: true,
      valueName: 'NUMBER',
      description: 'mobile number for the certificate password by SMS, paired with the --email in the same position',
    },
    provider: {
      value: true,
      valueName: 'P',
      description: 'provider whose S/MIME certificate identifies you (default: the only one that has one)',
    },
    service: { value: true, valueName: 'S', description: 'service of that certificate' },
    async: { value: false, description: 'place orders with the CA instead of issuing now (GlobalSign PersonalSign services)' },
    'ssapi-url': {
      value: true,
      valueName: 'URL',
      description: `Self-Service API base URL (default https://<provider server host>:${SSAPI_PORT})`,
    },
    'svr-host-name': { value: true, valueName: 'HOST', description: 'host name in the download links mailed to recipients' },
  },
  async run(ctx, args) {
    const [sub] = args.positionals;
    if (sub !== 'invite')
      throw new UsageError(
        `${sub ? `unknown smime sub-command ${JSON.stringify(sub)}` : 'smime needs a sub-command'}; usage: keytalk-agent ${smimeCommand.usage[0]}`,
      );
    const emails = list(args.options.email);
    const mobiles = list(args.options.mobile);
    if (!emails.length) throw new UsageError('give the recipient with --email name@example.com');
    if (mobiles.length > emails.length)
      throw new UsageError(
        `${mobiles.length} --mobile but ${emails.length} --email: each --mobile belongs to the --email in the same position`,
      );
    const recipients: Recipient[] = emails.map((email, i) => (mobiles[i] ? { email, mobile: mobiles[i] } : { email }));

    try {
      // Your own S/MIME certificate (with key) from the agent's file store.
      const mine = await findOwnSmimeCertificate(ctx.home, {
        provider: args.options.provider as string | undefined,
        service: args.options.service as string | undefined,
      });
      const result = await withSelfService(ctx.home, mine.provider, args.options['ssapi-url'] as string | undefined, (c) =>
        inviteSmimeRecipients({
          ...c,
          client: { certPem: mine.bundle.certPem, keyPem: mine.bundle.keyPem, chainPem: mine.bundle.chainPem },
          recipients,
          synchronous: !args.options.async,
          svrHostName: args.options['svr-host-name'] as string | undefined,
        }),
      );
      await applySelfServiceAddressBooks(result.addressBooks, undefined, (m) => ctx.stderr.write(`${m}\n`));
      if (ctx.json) ctx.emitJson(result);
      else {
        for (const s of result.succeeded)
          ctx.say(
            result.synchronous
              ? `${s.email}: certificate issued, download link sent by e-mail`
              : `${s.email}: order ${s.orderId} placed`,
          );
        for (const f of result.failed) ctx.say(`${f.email}: FAILED${f.error ? `: ${f.error}` : ''}`);
        for (const s of result.skipped) ctx.say(`${s}: skipped (an earlier recipient failed)`);
      }
      return result.succeeded.length ? EXIT.ok : EXIT.serverError;
    } catch (err) {
      if (!(err instanceof SelfServiceError)) throw err;
      ctx.stderr.write(`${errorLine(err.message)}\n`);
      return err.kind === 'bad-input' ? EXIT.badInput : err.kind === 'network' ? EXIT.network : EXIT.serverError;
    }
  },
};

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}
