import type { Offer } from '@passerelle/contracts/collaboration';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../../lib/api';

export const offerKeys = { all: ['offers'] as const };

/** The firm's catalog of collaborative offers (Start today); it changes with a new version only. */
export function useOffers() {
  return useQuery({
    queryKey: offerKeys.all,
    queryFn: ({ signal }) => api.get<{ items: Offer[] }>('/api/offers', { signal }),
    staleTime: 10 * 60_000,
  });
}
