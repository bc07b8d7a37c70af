import { z } from 'zod';

/** One certificate service (template) a provider offers, as the RCCD's user configuration describes it. */
export const serviceSchema = z
  .object({
    name: z.string().min(1),
    certValidPercent: z.number().optional(),
    certFormat: z.string().optional(),
  })
  .catchall(z.unknown());
export type ProviderService = z.infer<typeof serviceSchema>;

export const providerRecordSchema = z.object({
  name: z.string().min(1),
  kind: z.literal('keytalk'),
  /** Host name or IP, with ":port" when not 443 (test servers on loopback). */
  server: z.string().min(1),
  contentVersion: z.number().int().nonnegative(),
  services: z.array(serviceSchema),
  /** PEM certificates: RCA (root), PCA (primary), UCA (signing: issues user certificates), SCA (server: issues the server's TLS certificate). */
  cas: z.object({
    root: z.string().optional(),
    primary: z.string().optional(),
    signing: z.string().optional(),
    server: z.string().optional(),
    extraSigning: z.array(z.string()),
  }),
  logoDataUrl: z.string().optional(),
  importedAt: z.string(),
  /** How the RCCD was built: format version, user-config syntax, and the S/MIME signature state for RCCD v1. */
  source: z
    .object({
      rccdVersion: z.union([z.literal(1), z.literal(2)]),
      configVersion: z.string().optional(),
      userConfigFormat: z.enum(['yaml', 'libconfig']),
      signature: z.enum(['valid', 'absent', 'not-applicable']),
      fileName: z.string().optional(),
    })
    .optional(),
  /** Non-fatal remarks found during import (e.g. a CA that is not marked as a CA). */
  warnings: z.array(z.string()).optional(),
});
export type ProviderRecord = z.infer<typeof providerRecordSchema>;
