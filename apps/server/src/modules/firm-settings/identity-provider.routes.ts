import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireStaff } from '../../policy.ts';
import { originOf } from '../audit/audit.service.ts';
import { identityProviderInputSchema, identityProviderSchema } from './identity-provider.schemas.ts';
import type { IdentityProviderService } from './identity-provider.service.ts';

/** The firm's identity provider settings: administrators only; the secret never leaves. */
export async function identityProviderRoutes(
  fastify: FastifyInstance,
  opts: { service: IdentityProviderService },
) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { service } = opts;

  app.get(
    '/api/firm/identity-provider',
    { config: { access: 'admin' }, schema: { response: { 200: identityProviderSchema } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return service.get(requireStaff(request.actor));
    },
  );

  app.put(
    '/api/firm/identity-provider',
    {
      config: { access: 'admin' },
      schema: { body: identityProviderInputSchema, response: { 200: identityProviderSchema } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return service.update(
        requireStaff(request.actor),
        originOf(request),
        request.body,
        request.session?.idHash ?? null,
      );
    },
  );
}
