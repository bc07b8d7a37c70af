import { homeLayout } from '../../app/config/home';
import { credentialSecretKey } from '../../app/engine/state';
import { FileKeySecretStore } from '../../app/system/file-key-secret-store';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { runCliCaptured } from '../cli/run-cli-captured';
import type { SimProvider } from './scheduler-harness';

/** The one user of the short-lived demo provider. */
export const DEMO_USER = { id: 'DemoUser', password: 'secret' } as const;

export interface ShortLivedDemoOptions {
  /** How long SHORT's certificates live, in the simulator's duration syntax ('20s', '2m', '1h'). */
  lifetime: string;
  /** The server's cert-expiration-margin (seconds): a renewal is due this long before the certificate expires. */
  margin: number;
  /** The server's keep-alive interval ('10s'); none when absent. */
  keepAliveInterval?: string;
  /** More services of the same provider (same user), after SHORT. */
  moreServices?: SimProvider['services'];
}

/**
 * The provider the renewal tests share: "Demo" with the password service "SHORT" whose certificates live `lifetime`
 * and are due for renewal `margin` seconds before they expire, and the user DemoUser / secret. What a test is about —
 * how soon a renewal is due — stays in the test's own call.
 */
export function shortLivedDemo(o: ShortLivedDemoOptions): SimProvider {
  return {
    name: 'Demo',
    services: [
      {
        name: 'SHORT',
        credentials: ['USERID', 'PASSWD'],
        cert: {
          lifetime: o.lifetime,
          certExpirationMargin: o.margin,
          ...(o.keepAliveInterval ? { keepAliveInterval: o.keepAliveInterval } : {}),
        },
      },
      ...(o.moreServices ?? []),
    ],
    users: [{ ...DEMO_USER }],
  };
}

/** A KeyTalk simulator in a temp folder named `prefix…` serving shortLivedDemo(o) (its RCCD: `kt.sim.rccds.Demo`). */
export function startShortLivedDemo(prefix: string, o: ShortLivedDemoOptions): Promise<TempSimulator> {
  return startTempSimulator(prefix, { providers: [shortLivedDemo(o)] });
}

/**
 * What a user leaves in `home` who enrolled SHORT with the CLI and let the agent remember the password: Demo's RCCD
 * imported (unless `imported`), the certificate, and DemoUser's password in the daemon's key-file secret store, so a
 * daemon or `renew` can renew silently. Returns the fingerprint the CLI printed. Throws with the CLI's stderr.
 */
export async function enrollRememberedShort(kt: TempSimulator, home: string, o: { imported?: boolean } = {}): Promise<string> {
  const cli = async (args: string[]) => {
    const r = await runCliCaptured(args, { home, env: { KEYTALK_PASSWORD: DEMO_USER.password } });
    if (r.code !== 0) throw new Error(`keytalk-agent ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  if (!o.imported) await cli(['rccd', 'import', kt.sim.rccds.Demo!]);
  const enrolled = await cli(['enroll', '--provider', 'Demo', '--service', 'SHORT', '--user', DEMO_USER.id, '--json']);
  await new FileKeySecretStore(homeLayout(home).secrets).set(
    credentialSecretKey('Demo', 'SHORT'),
    JSON.stringify({ USERID: DEMO_USER.id, PASSWD: DEMO_USER.password }),
  );
  return (JSON.parse(enrolled) as { sha256Fingerprint: string }).sha256Fingerprint;
}
