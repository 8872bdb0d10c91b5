import { AppError } from './lib/errors.ts';

/**
 * The one policy module: who may call a route (route access levels, enforced by the access
 * guard for every route) and who may do what to which target (checked by services).
 */
export type StaffRole = 'administrateur' | 'collaborateur' | 'lecture_seule';

export type Actor =
  | { type: 'anonymous' }
  | { type: 'staff'; userId: string; firmId: string; staffId: string; role: StaffRole; seesAllFiles: boolean }
  | { type: 'client'; userId: string; firmId: string; contactId: string };

export type StaffActor = Extract<Actor, { type: 'staff' }>;
export type ClientActor = Extract<Actor, { type: 'client' }>;

/**
 * Every route declares one of these in `config.access`; a route without one makes the
 * server refuse to start.
 * - public: anyone (health, sign-in, the identity provider's own pages)
 * - session: any signed-in person (their own session, sign-out)
 * - staff: any firm staff member; finer checks in the service
 * - staff-write: staff who may change things (not lecture seule)
 * - admin: firm administrators
 * - client: client contacts only
 */
export const accessLevels = ['public', 'session', 'staff', 'staff-write', 'admin', 'client'] as const;
export type AccessLevel = (typeof accessLevels)[number];

export function routeAllows(access: AccessLevel, actor: Actor): 'ok' | 'unauthenticated' | 'forbidden' {
  if (access === 'public') return 'ok';
  if (actor.type === 'anonymous') return 'unauthenticated';
  switch (access) {
    case 'session':
      return 'ok';
    case 'client':
      return actor.type === 'client' ? 'ok' : 'forbidden';
    case 'staff':
      return actor.type === 'staff' ? 'ok' : 'forbidden';
    case 'staff-write':
      return actor.type === 'staff' && actor.role !== 'lecture_seule' ? 'ok' : 'forbidden';
    case 'admin':
      return actor.type === 'staff' && actor.role === 'administrateur' ? 'ok' : 'forbidden';
  }
}

export function requireStaff(actor: Actor): StaffActor {
  if (actor.type !== 'staff') throw new AppError('FORBIDDEN');
  return actor;
}

export function requireClient(actor: Actor): ClientActor {
  if (actor.type !== 'client') throw new AppError('FORBIDDEN');
  return actor;
}

/** A client file as far as policy needs to know it. */
export interface FileScope {
  firmId: string;
  responsibleId: string | null;
}

/**
 * May this staff member see this file? Another firm's file answers "not found", never
 * "forbidden", so ids of other tenants cannot be probed.
 */
export function assertStaffCanSeeFile(
  actor: StaffActor,
  file: FileScope | undefined,
): asserts file is FileScope {
  if (!file || file.firmId !== actor.firmId) throw new AppError('NOT_FOUND');
  if (actor.role === 'collaborateur' && !actor.seesAllFiles && file.responsibleId !== actor.staffId) {
    throw new AppError('NOT_FOUND');
  }
}

export function assertStaffCanChangeFile(
  actor: StaffActor,
  file: FileScope | undefined,
): asserts file is FileScope {
  assertStaffCanSeeFile(actor, file);
  if (actor.role === 'lecture_seule') throw new AppError('FORBIDDEN');
}
