import { promises as fs } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** "30s", "5m", "12h", "90d", "2y" or a number of seconds. */
export function parseDuration(v: string | number): number {
  if (typeof v === 'number') return v;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d|w|y)?\s*$/i.exec(v);
  if (!m) throw new Error(`"${v}" is not a duration; write a number of seconds or e.g. 30s, 5m, 12h, 90d, 2y`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  const mult: Record<string, number> = { s: 1, sec: 1, m: 60, min: 60, h: 3600, d: 86400, w: 604800, y: 365 * 86400 };
  return Math.round(n * mult[unit]!);
}

const duration = z.union([z.number().positive(), z.string()]).transform((v, ctx) => {
  try {
    return parseDuration(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});

const subject = z
  .object({
    cn: z.string().optional(),
    c: z.string().optional(),
    st: z.string().optional(),
    l: z.string().optional(),
    o: z.string().optional(),
    ous: z.array(z.string()).optional(),
    e: z.string().optional(),
  })
  .strict();

const message = z.object({ text: z.string(), utc: z.string() }).strict();

const addressBook = z
  .object({ ldap_svr_url: z.string(), search_base: z.string(), verification_ca: z.string().optional() })
  .strict();

/** One fault applied to requests whose path matches `route` (a substring or /regex/). */
export const faultSchema = z
  .object({
    route: z.string(),
    kind: z.enum(['latency', 'status', 'reset', 'truncate', 'malformed-json', 'wrong-content-type']),
    /** Latency in ms (kind latency). */
    ms: z.number().int().nonnegative().optional(),
    /** HTTP status (kind status), default 503. */
    status: z.number().int().min(400).max(599).optional(),
    /** Retry-After header sent with a kind status reply: delay-seconds ("120") or an HTTP-date (RFC 9110 10.2.3). */
    retryAfter: z.string().max(64).optional(),
    /** Apply to this many matching requests, then disappear; default: forever. */
    times: z.number().int().positive().optional(),
  })
  .strict();
export type FaultSpec = z.infer<typeof faultSchema>;

const challengeStep = z
  .object({
    challenges: z.array(z.object({ name: z.string(), value: z.string() }).strict()).min(1),
    responseNames: z.array(z.string()).optional(),
    /** Expected responses by response name (or "response" when responseNames is omitted). */
    expect: z.record(z.string(), z.string()),
  })
  .strict();

const serviceSchema = z
  .object({
    name: z.string().min(1),
    /** Credential types in the fixture's spelling; "OTP" is sent as "OTP" before 2.7.5 and "OTP/MFA" after. */
    credentials: z.array(z.enum(['USERID', 'HWSIG', 'PASSWD', 'PIN', 'RESPONSE', 'OTP'])).default(['USERID', 'PASSWD']),
    passwordPrompt: z.string().optional(),
    hwsigFormula: z.string().optional(),
    serviceUris: z
      .array(z.object({ uri: z.string(), ips: z.array(z.string()).optional(), digest: z.string().optional() }).strict())
      .optional(),
    resolveServiceUris: z.boolean().default(false),
    calcServiceUrisDigest: z.boolean().default(false),
    useTpmVsc: z.enum(['yes', 'yes-with-attestation', 'no']).optional(),
    useKerberos: z.boolean().default(false),
    supplyComputerName: z.boolean().default(false),
    mfa: z
      .object({
        kind: z.enum(['mfa-popups', 'mfa-redirection']).default('mfa-popups'),
        clientId: z.string(),
        authority: z.string(),
        scopes: z.array(z.string()).default([]),
        redirectUri: z.string().optional(),
        postLogoutUri: z.string().optional(),
        /** Where to fetch the JWKS; default: the authority's OpenID configuration jwks_uri. */
        jwksUri: z.string().optional(),
        /** PEM file of a CA to trust when fetching the JWKS (a test OpenID provider on loopback). */
        caFile: z.string().optional(),
        /** Expected "aud" of the access token; default the client-id. */
        audience: z.string().optional(),
        /** Token claim that must equal USERID when present (default: preferred_username, then email, then upn). */
        userClaim: z.string().optional(),
      })
      .strict()
      .optional(),
    /** Seat authentication: auth-requirements with USERID + computer-name yields an encrypted challenge. */
    seat: z.boolean().default(false),
    /** Seconds a wrong credential suspends the caller (DELAY). */
    failDelay: z.number().int().nonnegative().default(1),
    /** Lock the user after this many failures in a row (LOCKED); 0 = never. */
    lockAfterFailures: z.number().int().nonnegative().default(0),
    lockSeconds: z.number().int().positive().default(300),
    maxLicensedUsers: z.number().int().positive().optional(),
    cert: z
      .object({
        lifetime: duration.default(365 * 86400),
        subject: subject.optional(),
        san: z.array(z.string()).optional(),
        /** csr-requirements; empty strings / empty SAN mean "any". */
        keySize: z.number().int().default(2048),
        signingAlgo: z.string().default('sha256'),
        csrSubject: subject.optional(),
        csrSan: z.array(z.string()).optional(),
        executeSync: z.boolean().default(false),
        storeToSystem: z.boolean().default(false),
        applySmimeSettings: z.boolean().optional(),
        setDisclaimer: z.boolean().optional(),
        addressBooks: z.array(addressBook).optional(),
        historicalCerts: z.boolean().default(false),
        /** cert answers "submitted" and then "in-progress" this many polls before issuing. */
        submittedPolls: z.number().int().nonnegative().default(0),
        /** cert answers "pending-approval" this many polls before issuing (or until approved via control). */
        pendingApprovalPolls: z.number().int().nonnegative().default(0),
        /** cert-challenge select-globalsign-domainssl-approver-email with these emails. */
        approverEmails: z.array(z.string()).optional(),
        cnCustomizationPolicy: z
          .enum(['ALLOWED', 'DISALLOWED-NOT-SUPPORTED-BY-SERVICE', 'DISALLOWED-CERT-STILL-VALID', 'ALLOWED-AS-GIVENNAME_SURNAME'])
          .default('DISALLOWED-NOT-SUPPORTED-BY-SERVICE'),
        certExpirationMargin: z.number().int().nonnegative().default(86400),
        keepAliveInterval: z.string().default(''),
        autoRenewSeatCerts: z.boolean().default(false),
        disclaimer: z
          .object({ name: z.string(), text: z.string(), checkInterval: z.number().int().default(60) })
          .strict()
          .optional(),
        smimeEnrollment: z
          .object({ available: z.boolean(), mobileRequired: z.boolean().default(false), reason: z.string().optional() })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    certScraping: z
      .object({
        schedule: z.enum(['never', 'one-shot', 'on-successful-authentication']).default('never'),
        certPurposes: z.array(z.string()).default([]),
        certStoreTypes: z.array(z.string()).default([]),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ServiceConfig = z.infer<typeof serviceSchema>;

const userSchema = z
  .object({
    id: z.string().min(1),
    password: z.string().optional(),
    pin: z.string().optional(),
    /** Expected HWSIG (e.g. "CS-…"); any non-empty HWSIG is accepted when absent. */
    hwsig: z.string().optional(),
    /** Services this user may use; default all services of the provider. */
    services: z.array(z.string()).optional(),
    /** LOCKED for this many seconds from start-up. */
    lockedSeconds: z.number().int().positive().optional(),
    /** DELAY this many seconds on the first authentication even with good credentials (then normal). */
    delayFirstSeconds: z.number().int().nonnegative().optional(),
    passwordExpired: z.boolean().default(false),
    /** When the password is expired but may not be changed: error 1005 instead of EXPIRED. */
    mayChangePassword: z.boolean().default(true),
    /** password-validity in the OK reply (seconds, -1 = never). */
    passwordValidity: z.number().int().optional(),
    /** Multi-phase password: after a correct PASSWD, CHALLENGE with this prompt; PASSWD must then be `answer`. */
    passwordChallenge: z.object({ prompt: z.string(), answer: z.string() }).strict().optional(),
    /** RESPONSE challenge steps (services with RESPONSE in credentials). */
    challenges: z.array(challengeStep).optional(),
    /** Fixed OTP instead of a random one (tests that cannot read the outbox). */
    otp: z.string().optional(),
    email: z.string().optional(),
    computerName: z.string().optional(),
    subject: subject.optional(),
    givenName: z.string().optional(),
    surname: z.string().optional(),
    messages: z.array(message).optional(),
    sharedMailboxes: z.array(z.string()).optional(),
    selfService: z.boolean().default(false),
    /** Kerberos principal that signs on as this user (default: the principal whose name is the user id). */
    kerberosPrincipal: z.string().optional(),
  })
  .strict();
export type UserConfig = z.infer<typeof userSchema>;

const providerSchema = z
  .object({
    name: z.string().min(1),
    services: z.array(serviceSchema).min(1),
    users: z.array(userSchema).default([]),
    /** Per-service settings written into the RCCD. */
    rccd: z
      .object({
        certValidPercent: z.number().int().min(1).max(100).default(10),
        certFormat: z.enum(['P12', 'PEM', 'P12v2']).default('P12'),
        uid: z.string().optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type ProviderConfig = z.infer<typeof providerSchema>;

export const fixtureSchema = z
  .object({
    server: z
      .object({
        /** KeyTalk server version (Public API "version"). */
        version: z.string().default('7.8.0'),
        /** Highest RCDP version; versionless paths exist from 2.7.6. */
        maxRcdpVersion: z.string().default('2.8.3'),
        minRcdpVersion: z.string().default('2.0.0'),
        publicApiVersion: z.string().default('1.6.9'),
        /**
         * Whether /public/<endpoint> (the spec's "Latest API version" path) is served. An older KeyTalk server knows
         * only /public/<version>/<endpoint> (keytalk-api-2.3.2 documents no other form) and answers 404.
         */
        publicApiVersionless: z.boolean().default(true),
        /** Highest Self-Service API version served (section 5.1: 1.0.0, 1.1.0, 1.1.1); newer paths answer 404. */
        ssapiVersion: z.enum(['1.0.0', '1.1.0', '1.1.1']).default('1.1.1'),
        /** Allowed |caller-utc − server-utc| in seconds before ErrTimeOutOfSync (1003). */
        maxClockSkewSeconds: z.number().int().nonnegative().default(300),
        sessionIdleSeconds: z.number().int().positive().default(1800),
        /** Out-of-band download URL lifetime (the spec's "normally 5 minutes"). */
        oobTtlSeconds: z.number().int().positive().default(300),
        /** Scheme of cert-url-templ: https on the main port (default) or http on the plain port. */
        oobScheme: z.enum(['https', 'http']).default('https'),
        /** 2.7.2: the cert reply includes the CA trust chain "when available"; false = a server that has none to give. */
        chainAvailable: z.boolean().default(true),
        messages: z.array(message).default([]),
        unattendedPopupMsgTemplate: z.string().default('KeyTalk is renewing your certificate for $(SERVICE).'),
        healthy: z.boolean().default(true),
        faults: z.array(faultSchema).default([]),
        rsaKeyPool: z.number().int().nonnegative().default(8),
        /** Load tests only: server-generated certificates reuse the pool's keys (never a real server's behaviour). */
        reuseKeys: z.boolean().default(false),
        /** The realm's KDC and this server's keytab: kerberos-ticket is validated against them (else always NOK). */
        kerberos: z.object({ krb5Conf: z.string(), keytab: z.string(), servicePrincipal: z.string() }).strict().optional(),
        /** PEM file of further TPM Endorsement CAs (e.g. swtpm's local CA, a TPM vendor's) trusted for tpm-attestation. */
        tpmEkCaFile: z.string().optional(),
      })
      .strict()
      .prefault({}),
    providers: z.array(providerSchema).min(1),
  })
  .strict();
export type Fixture = z.infer<typeof fixtureSchema>;
export type FixtureInput = z.input<typeof fixtureSchema>;

export function parseFixture(raw: unknown, source = 'fixture'): Fixture {
  const r = fixtureSchema.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(
      `${source} is not a valid KeyTalk simulator fixture:\n${issues}\nSee simulators/keytalk/README.md for the format.`,
    );
  }
  const names = new Set<string>();
  const services = new Set<string>();
  for (const p of r.data.providers) {
    for (const s of p.services) {
      // One server answers all providers, so a service (template) name must pick exactly one.
      if (services.has(s.name)) throw new Error(`${source}: service "${s.name}" is declared more than once`);
      services.add(s.name);
    }
    if (names.has(p.name)) throw new Error(`${source}: provider "${p.name}" is declared twice`);
    names.add(p.name);
    const svc = new Set(p.services.map((s) => s.name));
    for (const u of p.users)
      for (const s of u.services ?? [])
        if (!svc.has(s)) throw new Error(`${source}: user "${u.id}" names unknown service "${s}" in provider "${p.name}"`);
  }
  return r.data;
}

export async function loadFixtureFile(file: string): Promise<Fixture> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read fixture ${file}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new Error(`fixture ${file} is not valid YAML: ${(e as Error).message}`);
  }
  return parseFixture(raw, file);
}
