import { z } from 'zod';

export const staffRoleSchema = z.enum(['administrateur', 'collaborateur', 'lecture_seule']);
export type StaffRole = z.infer<typeof staffRoleSchema>;

/** GET /api/session: who is signed in, and the CSRF token to send in `x-csrf-token`. */
export const sessionResponseSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('staff'),
    csrfToken: z.string(),
    firm: z.object({ id: z.uuid(), name: z.string(), slug: z.string() }),
    user: z.object({
      staffId: z.uuid(),
      email: z.string(),
      firstName: z.string(),
      lastName: z.string(),
      role: staffRoleSchema,
    }),
  }),
  z.object({
    kind: z.literal('client'),
    csrfToken: z.string(),
    firm: z.object({ id: z.uuid(), name: z.string(), slug: z.string() }),
    user: z.object({ contactId: z.uuid(), email: z.string(), firstName: z.string(), lastName: z.string() }),
  }),
]);
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

/** POST /api/auth/logout: where the browser goes next (the provider's end-session page). */
export const logoutResponseSchema = z.object({ redirectTo: z.string() });
