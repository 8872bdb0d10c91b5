import type { DbOrTx } from './db/connection.ts';
import type { Capability } from './db/schema/index.ts';
import { AppError } from './lib/errors.ts';
import { findLiveAccessRows, type LiveAccessRow } from './modules/client-space/client-access.repository.ts';

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

/** What a client contact may do on one file, derived from the data at each request. */
export interface ClientFileAccess {
  fileId: string;
  firmId: string;
  /** null is "-": the whole file; otherwise the top-level GED folders the contact is limited to. */
  limitedTo: string[] | null;
  figuresAllowed: boolean;
  /** Union of what the live services' offers grant. */
  capabilities: Capability[];
  /** The offer shown to the client (the first of the catalog when several are live). */
  offer: { code: string; label: string; description: string };
  file: {
    code: string;
    name: string;
    legalForm: string | null;
    siren: string | null;
    fiscalYearEnd: string | null;
  };
  firmName: string;
}

function mergeAccessRows(rows: LiveAccessRow[]): ClientFileAccess[] {
  const byFile = new Map<string, ClientFileAccess>();
  for (const row of rows) {
    const seen = byFile.get(row.fileId);
    if (seen) {
      for (const capability of row.capabilities)
        if (!seen.capabilities.includes(capability)) seen.capabilities.push(capability);
      continue;
    }
    byFile.set(row.fileId, {
      fileId: row.fileId,
      firmId: row.firmId,
      limitedTo: row.limitedTo ?? null,
      figuresAllowed: row.figuresAllowed,
      capabilities: [...row.capabilities],
      offer: { code: row.offerCode, label: row.offerLabel, description: row.offerDescription },
      file: {
        code: row.fileCode,
        name: row.fileName,
        legalForm: row.legalForm,
        siren: row.siren,
        fiscalYearEnd: row.fiscalYearEnd,
      },
      firmName: row.firmName,
    });
  }
  return [...byFile.values()];
}

const accessKey = (actor: ClientActor) => ({
  contactId: actor.contactId,
  firmId: actor.firmId,
  userId: actor.userId,
});

/**
 * May this client contact see this file, and with what? Only while the file's offer is active,
 * the contact is linked and a service under that offer is live (SPEC §7). Checked against the
 * database on every call, so a revocation ends access on the next request of an open session.
 * Anything else answers "not found".
 */
export async function clientFileAccess(
  db: DbOrTx,
  actor: ClientActor,
  fileId: string,
): Promise<ClientFileAccess> {
  const [access] = mergeAccessRows(await findLiveAccessRows(db, { ...accessKey(actor), fileId }));
  if (!access) throw new AppError('NOT_FOUND');
  return access;
}

/** Every file the client contact may see right now (same rule as `clientFileAccess`). */
export async function clientFilesAccess(db: DbOrTx, actor: ClientActor): Promise<ClientFileAccess[]> {
  return mergeAccessRows(await findLiveAccessRows(db, accessKey(actor)));
}

/** A feature of the client space (GED, pieces, dashboard) checks the offer grants it. */
export function assertClientCapability(access: ClientFileAccess, capability: Capability) {
  if (!access.capabilities.includes(capability)) throw new AppError('FORBIDDEN');
}
