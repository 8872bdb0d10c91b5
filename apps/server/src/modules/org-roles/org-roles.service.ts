import type { Db, DbOrTx } from '../../db/connection.ts';
import { AppError } from '../../lib/errors.ts';
import type { StaffActor } from '../../policy.ts';
import { type RequestOrigin, recordAudit } from '../audit/audit.service.ts';
import * as repo from './org-roles.repository.ts';

/** A firm starts with a sensible French list, which its administrators then adapt. */
export async function ensureDefaultOrgRoles(db: DbOrTx, firmId: string) {
  if ((await repo.countRoles(db, firmId)) === 0) await repo.insertRoles(db, firmId, repo.defaultOrgRoles);
}

export function createOrgRolesService(db: Db) {
  return {
    async list(actor: StaffActor) {
      await ensureDefaultOrgRoles(db, actor.firmId);
      const rows = await repo.listRoles(db, actor.firmId);
      return {
        items: rows.map((r) => ({
          id: r.id,
          name: r.name,
          retired: r.retiredAt !== null,
          contactCount: r.contactCount,
        })),
      };
    },

    async create(actor: StaffActor, origin: RequestOrigin, name: string) {
      return db.transaction(async (tx) => {
        await ensureDefaultOrgRoles(tx, actor.firmId);
        if (await repo.findRoleByName(tx, actor.firmId, name)) throw new AppError('ROLE_NAME_TAKEN');
        const position = (await repo.countRoles(tx, actor.firmId)) + 1;
        const [role] = await repo.insertRoles(tx, actor.firmId, [name], position);
        if (!role) throw new AppError('INTERNAL');
        await recordAudit(tx, origin, {
          action: 'org_role.created',
          targetType: 'org_role',
          targetId: role.id,
          details: { name },
        });
        return { id: role.id, name: role.name, retired: false, contactCount: 0 };
      });
    },

    async update(
      actor: StaffActor,
      origin: RequestOrigin,
      id: string,
      input: { name?: string; retired?: boolean },
    ) {
      return db.transaction(async (tx) => {
        const role = await repo.findRole(tx, actor.firmId, id);
        if (!role) throw new AppError('NOT_FOUND');
        if (input.name !== undefined) {
          const same = await repo.findRoleByName(tx, actor.firmId, input.name);
          if (same && same.id !== id) throw new AppError('ROLE_NAME_TAKEN');
        }
        const retiredAt =
          input.retired === undefined ? undefined : input.retired ? (role.retiredAt ?? new Date()) : null;
        const updated = await repo.updateRole(tx, id, {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(retiredAt !== undefined ? { retiredAt } : {}),
        });
        if (!updated) throw new AppError('NOT_FOUND');
        const action =
          input.retired === true
            ? 'org_role.retired'
            : input.retired === false
              ? 'org_role.restored'
              : 'org_role.renamed';
        await recordAudit(tx, origin, {
          action,
          targetType: 'org_role',
          targetId: id,
          details: { from: role.name, to: updated.name },
        });
        const [withCount] = (await repo.listRoles(tx, actor.firmId)).filter((r) => r.id === id);
        return {
          id,
          name: updated.name,
          retired: updated.retiredAt !== null,
          contactCount: withCount?.contactCount ?? 0,
        };
      });
    },
  };
}
