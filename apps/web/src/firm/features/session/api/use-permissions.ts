import { useSession } from './use-session';

export interface Permissions {
  /** Not "lecture seule": may create, change, propose, revoke. */
  canWrite: boolean;
  /** Firm administrator: organizational roles, audit log. */
  isAdmin: boolean;
}

/**
 * What the signed-in staff member may do, to hide what they cannot. The server decides anyway:
 * hiding a button is comfort, not security.
 */
export function usePermissions(): Permissions {
  const { data } = useSession();
  const role = data?.kind === 'staff' ? data.user.role : null;
  return {
    canWrite: role === 'administrateur' || role === 'collaborateur',
    isAdmin: role === 'administrateur',
  };
}
