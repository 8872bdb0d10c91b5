import { z } from 'zod';
import { tenantInputProblem } from '../identity/entra/entra-tenant.ts';

/** Request and response of `/api/firm/identity-provider`. The client secret is write-only. */

/** Omitted: the stored secret is kept (only while the kind and the client id stay the same). */
const clientSecret = z
  .string()
  .trim()
  .min(1, { error: 'Le secret client ne peut pas être vide.' })
  .max(1000, { error: 'Le secret client est trop long.' })
  .optional();

const clientId = z
  .string()
  .trim()
  .min(1, { error: 'L’identifiant client est obligatoire.' })
  .max(255, { error: 'L’identifiant client est trop long.' });

const tenantId = z
  .string()
  .trim()
  .min(1, { error: 'L’identifiant du tenant est obligatoire.' })
  .superRefine((value, ctx) => {
    if (value === '') return;
    const problem = tenantInputProblem(value);
    if (problem === 'shared_tenant') {
      ctx.addIssue({
        code: 'custom',
        message:
          'Indiquez le tenant du cabinet (GUID ou domaine vérifié) : « common », « organizations » et « consumers » accepteraient n’importe quelle organisation.',
      });
    } else if (problem === 'invalid') {
      ctx.addIssue({
        code: 'custom',
        message:
          'L’identifiant du tenant doit être un GUID (ID de l’annuaire) ou un domaine vérifié du tenant (ex. cabinet.fr).',
      });
    }
  });

export const identityProviderInputSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('embedded') }),
    z.strictObject({
      kind: z.literal('oidc'),
      issuer: z
        .url({
          protocol: /^https?$/,
          error: 'L’émetteur doit être une URL https (ex. https://idp.exemple.fr/realms/cabinet).',
        })
        .max(500, { error: 'L’URL de l’émetteur est trop longue.' }),
      clientId,
      clientSecret,
    }),
    z.strictObject({
      kind: z.literal('entra'),
      tenantId,
      clientId: z.guid({
        error:
          'L’ID d’application (client) Microsoft Entra est un GUID, visible dans l’inscription d’application.',
      }),
      clientSecret,
    }),
  ],
  { error: 'Le type de fournisseur doit être « embedded », « oidc » ou « entra ».' },
);

export type IdentityProviderInput = z.infer<typeof identityProviderInputSchema>;

export const identityProviderSchema = z.object({
  kind: z.enum(['embedded', 'oidc', 'entra']),
  /** `deployment`: the firm has no setting of its own and uses the installation's provider. */
  source: z.enum(['firm', 'deployment']),
  issuer: z.string().nullable(),
  clientId: z.string().nullable(),
  /** Never the secret: « défini » when one is stored. */
  clientSecret: z.literal('défini').nullable(),
  tenantId: z.string().nullable(),
  /** To register at the provider (Entra: « URI de redirection », platform Web). */
  redirectUri: z.string(),
  /** Where the firm's people start signing in. */
  signInUrl: z.string(),
});

export type IdentityProviderView = z.infer<typeof identityProviderSchema>;
