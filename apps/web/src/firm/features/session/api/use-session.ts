import { useMutation, useQuery } from '@tanstack/react-query';
import { fetchSession, logout } from '../../../../lib/session';

export const sessionQueryKey = ['session'] as const;

/** Who is signed in; read once per page load (it also provides the CSRF token). */
export function useSession() {
  return useQuery({
    queryKey: sessionQueryKey,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useLogout() {
  return useMutation({ mutationFn: logout });
}
