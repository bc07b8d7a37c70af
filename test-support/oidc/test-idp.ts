// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- oidc-provider ships no types and test-support/ is outside the tsconfig include list, so the declaration must be pulled in here.
/// <reference path="./oidc-provider.d.ts" />
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import Provider, { type InteractionDetails } from 'oidc-provider';
import { consentPage, errorPage, loginPage, logoutPage, signedOutPage } from './interaction-pages';
import { AdapterStore, MemoryAdapter } from './memory-adapter';
import { makeTestTls, type TestTls } from './test-ca';

export interface TestUser {
  username: string;
  password: string;
  name?: string;
}

export interface TestIdpOptions {
  /** Public client id of the agent (a native app). */
  clientId?: string;
  users?: TestUser[];
  /** The resource server (audience) the access tokens are minted for, e.g. the KeyTalk server's MFA check. */
  audience?: string;
  /** Scopes that resource server defines. */
  resourceScopes?: string[];
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  postLogoutRedirectUris?: string[];
  /**
   * oidc-provider's own rule: a refresh token only for `offline_access` requested together with prompt=consent.
   * Default false = behave like Entra ID, which issues refresh tokens to public clients without that dance.
   */
  strictOfflineAccess?: boolean;
  /**
   * Grant consent without showing the consent page, as for an app an Entra admin consented to for the organisation.
   * Default false; tests that do not look at consent turn it on to save a page per sign-in.
   */
  autoConsent?: boolean;
  /** Reuse TLS material (e.g. of another test IdP) so one Chromium started with its SPKI flag trusts both. Not deleted by stop(). */
  tls?: TestTls;
}

export interface GrantEvent {
  grantType: string;
  ok: boolean;
  error?: string;
}

export interface TestIdp {
  tls: TestTls;
  /** Issuer and MSAL authority: https://127.0.0.1:PORT */
  issuer: string;
  /** host:port, what MSAL's knownAuthorities wants. */
  host: string;
  port: number;
  jwksUri: string;
  /** PEM of the CA that signed the IdP's TLS certificate. */
  caPem: string;
  /** For Chromium: `--ignore-certificate-errors-spki-list=<this>` trusts exactly the IdP's key, nothing else. */
  spkiSha256: string;
  chromiumArgs: string[];
  clientId: string;
  audience: string;
  resourceScopes: string[];
  users: TestUser[];
  /** Every token-endpoint call (authorization_code, refresh_token) in order, with its outcome. */
  grants: GrantEvent[];
  /** How many authorization requests reached /auth (each one is a browser sign-in). */
  authorizeCount(): number;
  /** Make every stored refresh token expired (the provider then answers invalid_grant). Returns how many. */
  expireRefreshTokens(): number;
  /** Delete every refresh token and grant, as an admin revoking sessions would. Returns how many. */
  revokeRefreshTokens(): number;
  setAccessTokenTtl(seconds: number): void;
  setAutoConsent(on: boolean): void;
  /** How many times the consent page was shown. */
  consentPagesShown(): number;
  stop(): Promise<void>;
}

const DEFAULT_USER: TestUser = {
  username: 'alice@example.test',
  password: 'correct horse battery staple',
  name: 'Alice Example',
};

/** Starts oidc-provider over HTTPS on 127.0.0.1 (random port) with its own throw-away CA. */
export async function startTestIdp(options: TestIdpOptions = {}): Promise<TestIdp> {
  const clientId = options.clientId ?? 'keytalk-agent-test';
  const users = options.users ?? [DEFAULT_USER];
  const audience = options.audience ?? 'api://keytalk-mfa';
  const resourceScopes = options.resourceScopes ?? ['mfa.otp'];
  let accessTokenTtl = options.accessTokenTtlSeconds ?? 3600;
  const tls = options.tls ?? (await makeTestTls());

  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `https://127.0.0.1:${port}`;

  const store = new AdapterStore();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingJwk = {
    ...privateKey.export({ format: 'jwk' }),
    kid: `test-${randomBytes(4).toString('hex')}`,
    use: 'sig',
    alg: 'RS256',
  };
  const findUser = (id: string) => users.find((u) => u.username.toLowerCase() === id.toLowerCase());

  const provider = new Provider(issuer, {
    adapter: (name: string) => new MemoryAdapter(name, store),
    clients: [
      {
        client_id: clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        // Native clients: any port on these loopback hosts is accepted (RFC 8252 §7.3).
        redirect_uris: ['http://localhost', 'http://127.0.0.1'],
        post_logout_redirect_uris: options.postLogoutRedirectUris ?? [
          'http://localhost/signed-out',
          'http://127.0.0.1/signed-out',
        ],
      },
    ],
    jwks: { keys: [signingJwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
    // MSAL builds its account (username) from the ID token, so put the profile claims in it.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    responseTypes: ['code'],
    findAccount: async (_ctx: unknown, sub: string) => {
      const user = findUser(sub);
      if (!user) return undefined;
      return {
        accountId: user.username,
        claims: async () => ({
          sub: user.username,
          name: user.name ?? user.username,
          preferred_username: user.username,
          email: user.username,
          email_verified: true,
        }),
      };
    },
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }, source: { scopes: Set<string> }) =>
      client.grantTypeAllowed('refresh_token') && (!options.strictOfflineAccess || source.scopes.has('offline_access')),
    expiresWithSession: async () => false,
    rotateRefreshToken: true,
    ttl: {
      // Per resource server (setAccessTokenTtl), as oidc-provider's default does, but without its "define me" notice.
      AccessToken: (_ctx: unknown, token: { resourceServer?: { accessTokenTTL?: number } }) =>
        token.resourceServer?.accessTokenTTL ?? 3600,
      RefreshToken: options.refreshTokenTtlSeconds ?? 86_400,
      IdToken: 3600,
      Interaction: 600,
      Session: 86_400,
      Grant: 86_400,
      AuthorizationCode: 60,
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: { body: string; host: string }, form: string) => {
          ctx.body = logoutPage(form, ctx.host);
        },
        postLogoutSuccessSource: async (ctx: { body: string }) => {
          ctx.body = signedOutPage();
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => audience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, resource: string) => {
          if (resource !== audience) throw new Error(`unknown resource ${resource}`);
          return {
            scope: resourceScopes.join(' '),
            audience,
            accessTokenTTL: accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    renderError: async (ctx: { type: string; body: string }, out: Record<string, unknown>) => {
      ctx.type = 'html';
      ctx.body = errorPage(out);
    },
  });

  const grants: GrantEvent[] = [];
  let authorizeCount = 0;
  let autoConsent = options.autoConsent ?? false;
  let consentPages = 0;
  provider.on('grant.success', (ctx) => {
    grants.push({ grantType: String((ctx as { oidc: { params: { grant_type: string } } }).oidc.params.grant_type), ok: true });
  });
  provider.on('grant.error', (ctx, err) => {
    const params = (ctx as { oidc?: { params?: { grant_type?: string } } }).oidc?.params;
    grants.push({ grantType: String(params?.grant_type), ok: false, error: (err as { error?: string }).error ?? String(err) });
  });
  // Errors are part of the tests (expired tokens, cancelled sign-ins); keep them out of the test output.
  provider.on('server_error', (_ctx, err) => console.error('test IdP server_error', err));

  const oidcCallback = provider.callback();

  async function grantConsent(req: IncomingMessage, res: ServerResponse, details: InteractionDetails): Promise<void> {
    const accountId = details.session?.accountId;
    if (!accountId) throw new Error('consent without a signed-in session');
    const grant =
      (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
      new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    const d = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
    if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(d.missingResourceScopes ?? {}))
      grant.addResourceScope(resource, scopes.join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  async function interaction(req: IncomingMessage, res: ServerResponse, action: string | undefined): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const send = (html: string, status = 200) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
    };
    if (req.method === 'GET' && !action) {
      if (details.prompt.name === 'login') {
        const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : undefined;
        return send(loginPage(details.uid, { clientId, loginHint: hint }));
      }
      if (autoConsent) return grantConsent(req, res, details);
      consentPages += 1;
      const d = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
      return send(
        consentPage(details.uid, { clientId, scopes: d.missingOIDCScope ?? [], resources: d.missingResourceScopes ?? {} }),
      );
    }
    if (req.method !== 'POST') return send('method not allowed', 405);
    const form = new URLSearchParams(await readBody(req));
    if (action === 'abort') {
      return provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The user cancelled the sign-in.' },
        { mergeWithLastSubmission: false },
      );
    }
    if (action === 'login') {
      const user = findUser(form.get('username') ?? '');
      if (!user || user.password !== form.get('password')) {
        return send(
          loginPage(details.uid, { clientId, loginHint: form.get('username') ?? '', error: 'Wrong user name or password.' }),
          401,
        );
      }
      return provider.interactionFinished(req, res, { login: { accountId: user.username } }, { mergeWithLastSubmission: false });
    }
    if (action === 'confirm') return grantConsent(req, res, details);
    return send('not found', 404);
  }

  handler = (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/auth') {
      authorizeCount += 1;
      // oidc-provider drops offline_access unless prompt=consent is asked for; Entra ID does not. Unless the test
      // wants oidc-provider's strict rule, ask for it on the client's behalf so refresh tokens come out as with Entra.
      const scope = url.searchParams.get('scope')?.split(' ') ?? [];
      if (
        !options.strictOfflineAccess &&
        scope.includes('offline_access') &&
        !url.searchParams.get('prompt')?.includes('consent')
      ) {
        const prompts = new Set((url.searchParams.get('prompt') ?? '').split(' ').filter(Boolean));
        prompts.add('consent');
        url.searchParams.set('prompt', [...prompts].join(' '));
        req.url = `${url.pathname}${url.search}`;
      }
    }
    const m = /^\/interaction\/([^/]+)(?:\/([a-z]+))?$/.exec(url.pathname);
    if (m) {
      interaction(req, res, m[2]).catch((err: Error) => {
        if (!res.headersSent) {
          res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
          res.end(errorPage({ error: 'interaction_failed', error_description: err.message }));
        }
      });
      return;
    }
    oidcCallback(req, res);
  };

  const refreshTokens = () => store.model('RefreshToken');
  return {
    tls,
    issuer,
    host: `127.0.0.1:${port}`,
    port,
    jwksUri: `${issuer}/jwks`,
    caPem: tls.caPem,
    spkiSha256: tls.spkiSha256,
    chromiumArgs: [`--ignore-certificate-errors-spki-list=${tls.spkiSha256}`],
    clientId,
    audience,
    resourceScopes,
    users,
    grants,
    authorizeCount: () => authorizeCount,
    expireRefreshTokens() {
      const past = Math.floor(Date.now() / 1000) - 60;
      for (const row of refreshTokens().values()) row.exp = past;
      return refreshTokens().size;
    },
    revokeRefreshTokens() {
      const n = refreshTokens().size;
      refreshTokens().clear();
      store.model('Grant').clear();
      return n;
    },
    setAccessTokenTtl(seconds: number) {
      accessTokenTtl = seconds;
    },
    setAutoConsent(on: boolean) {
      autoConsent = on;
    },
    consentPagesShown: () => consentPages,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.tls) await fs.rm(tls.dir, { recursive: true, force: true });
    },
  };
}

function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
