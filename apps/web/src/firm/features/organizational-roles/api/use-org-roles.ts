import type { OrgRole } from '@passerelle/contracts/collaboration';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../../lib/api';

export const orgRoleKeys = { all: ['org-roles'] as const };

/** The firm's organizational roles (Dirigeant, Gérant…), retired ones included. */
export function useOrgRoles() {
  return useQuery({
    queryKey: orgRoleKeys.all,
    queryFn: ({ signal }) => api.get<{ items: OrgRole[] }>('/api/org-roles', { signal }),
  });
}

export function useCreateOrgRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.post<OrgRole>('/api/org-roles', { name }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: orgRoleKeys.all }),
  });
}

export function useUpdateOrgRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...changes }: { id: string; name?: string; retired?: boolean }) =>
      api.patch<OrgRole>(`/api/org-roles/${id}`, changes),
    // Contacts show their role's name and whether it is retired.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: orgRoleKeys.all }),
        queryClient.invalidateQueries({ queryKey: ['contacts'] }),
      ]),
  });
}
