import {
  orgRoleCreateSchema,
  orgRoleListSchema,
  orgRoleSchema,
  orgRoleUpdateSchema,
} from '@passerelle/contracts/collaboration';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { requireStaff } from '../../policy.ts';
import { originOf } from '../audit/audit.service.ts';
import { createOrgRolesService } from './org-roles.service.ts';

export async function orgRolesRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const service = createOrgRolesService(opts.ctx.db);

  app.get(
    '/api/org-roles',
    { config: { access: 'staff' }, schema: { response: { 200: orgRoleListSchema } } },
    (request) => service.list(requireStaff(request.actor)),
  );

  app.post(
    '/api/org-roles',
    { config: { access: 'admin' }, schema: { body: orgRoleCreateSchema, response: { 201: orgRoleSchema } } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.create(requireStaff(request.actor), originOf(request), request.body.name)),
  );

  app.patch(
    '/api/org-roles/:roleId',
    {
      config: { access: 'admin' },
      schema: {
        params: z.object({ roleId: z.uuid() }),
        body: orgRoleUpdateSchema,
        response: { 200: orgRoleSchema },
      },
    },
    (request) =>
      service.update(requireStaff(request.actor), originOf(request), request.params.roleId, request.body),
  );
}
