import type { staffListSchema } from '@passerelle/contracts/collaboration';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../../../lib/api';

export type StaffList = z.infer<typeof staffListSchema>;

/** The firm's staff members (who can be responsible for a file). */
export function useStaffList() {
  return useQuery({
    queryKey: ['staff'],
    queryFn: ({ signal }) => api.get<StaffList>('/api/staff', { signal }),
    staleTime: 5 * 60_000,
  });
}
