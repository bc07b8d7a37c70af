import { describeCertificate } from '../crypto/cert-info';
import type { EngineDeps, IssuedContext } from '../engine/enroll';
import { userMailIntegration } from '../mail/user-mail';

/**
 * What runs on the still-open RCDP session after the engine stored a new certificate (EngineDeps.afterIssued):
 *  - S/MIME: the historical package, the seat's shared mailboxes, mail-client settings and address books — only
 *    for certificates that carry an e-mail address or when the server asked for S/MIME work;
 *  - cert scraping on successful authentication, which the server's cert-scraping-settings switch on or off.
 * Each part is loaded on use and reports problems to the log; none fails the enrollment.
 */
export async function runAfterIssued(ctx: IssuedContext, engine: EngineDeps): Promise<void> {
  const x = ctx.extras;
  const smime =
    describeCertificate(ctx.bundle.certPem).emails.length > 0 ||
    x.applySmimeSettings ||
    x.applyAddressBooks ||
    !!x.historicalCertsUrlTemplate;
  if (smime) {
    const { smimePostEnrollment } = await import('../smime/post-enrollment');
    const report = await smimePostEnrollment({
      client: ctx.client,
      stores: ctx.stores,
      provider: ctx.provider,
      service: ctx.service,
      format: ctx.format,
      outOfBand: ctx.outOfBand,
      bundle: ctx.bundle,
      extras: x,
      historicalCertsUrlTemplate: x.historicalCertsUrlTemplate,
      historical: ctx.historical,
      mail: userMailIntegration((m) => ctx.log.info(m)),
    });
    for (const problem of report.problems) ctx.log.warn('s/mime follow-up', { problem });
    for (const note of report.mail.flatMap((m) => m.notes)) ctx.log.info('s/mime mail client', { note });
    const { publishUserSteps } = await import('../smime/user-steps');
    await publishUserSteps(engine.home, ctx.provider, report.mail).catch((err: Error) =>
      ctx.log.warn('s/mime follow-up: the steps for the user could not be saved', { error: err.message }),
    );
  }
  // A cert reply that says nothing about address books (servers before the field): the Public API's
  // address-book-list (3.2.2) is the same directive without a session, so an S/MIME user still gets the directories.
  if (x.applyAddressBooks === undefined && describeCertificate(ctx.bundle.certPem).emails.length > 0) {
    try {
      const provider = await engine.openProvider(ctx.provider);
      const { PublicApiClient } = await import('../public-api/client');
      const publicApi = new PublicApiClient({ baseUrl: `https://${provider.server}`, agent: provider.agent, timeoutMs: 15_000 });
      const r = await userMailIntegration((m) => ctx.log.info(m)).applyAddressBookList(publicApi, ctx.service);
      for (const note of r.notes) ctx.log.info('address books', { note });
    } catch (err) {
      ctx.log.warn('address books from the Public API not applied', { error: (err as Error).message });
    }
  }
  try {
    const { scrapeAfterAuthentication } = await import('../scanner/session');
    await scrapeAfterAuthentication(ctx.client, engine, { provider: ctx.provider, service: ctx.service });
  } catch (err) {
    ctx.log.warn('cert scraping after authentication failed', { error: (err as Error).message });
  }
}
