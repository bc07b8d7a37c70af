// zod/mini, the tree-shakeable build: every daemon job that opens a provider reads provider.json with these
// (issue 7's < 60 MB; full zod's classic API costs a few MB more to load).
import * as z from 'zod/mini';

/** One certificate service (template) a provider offers, as the RCCD's user configuration describes it. */
export const serviceSchema = z.catchall(
  z.object({
    name: z.string().check(z.minLength(1)),
    certValidPercent: z.optional(z.number()),
    certFormat: z.optional(z.string()),
  }),
  z.unknown(),
);
export type ProviderService = z.infer<typeof serviceSchema>;

export const providerRecordSchema = z.object({
  name: z.string().check(z.minLength(1)),
  kind: z.literal('keytalk'),
  /** Host name or IP, with ":port" when not 443 (test servers on loopback). */
  server: z.string().check(z.minLength(1)),
  contentVersion: z.int().check(z.nonnegative()),
  services: z.array(serviceSchema),
  /** PEM certificates: RCA (root), PCA (primary), UCA (signing: issues user certificates), SCA (server: issues the server's TLS certificate). */
  cas: z.object({
    root: z.optional(z.string()),
    primary: z.optional(z.string()),
    signing: z.optional(z.string()),
    server: z.optional(z.string()),
    extraSigning: z.array(z.string()),
  }),
  logoDataUrl: z.optional(z.string()),
  importedAt: z.string(),
  /** How the RCCD was built: format version, user-config syntax, and the S/MIME signature state for RCCD v1. */
  source: z.optional(
    z.object({
      rccdVersion: z.union([z.literal(1), z.literal(2)]),
      configVersion: z.optional(z.string()),
      userConfigFormat: z.enum(['yaml', 'libconfig']),
      signature: z.enum(['valid', 'absent', 'not-applicable']),
      fileName: z.optional(z.string()),
    }),
  ),
  /** Non-fatal remarks found during import (e.g. a CA that is not marked as a CA). */
  warnings: z.optional(z.array(z.string())),
});
export type ProviderRecord = z.infer<typeof providerRecordSchema>;
