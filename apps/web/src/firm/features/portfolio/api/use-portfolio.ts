import type { PortfolioQuery, PortfolioResponse } from '@passerelle/contracts/portfolio';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../../lib/api';

export const portfolioKeys = {
  all: ['portfolio'] as const,
  list: (query: PortfolioQuery) => ['portfolio', 'list', query] as const,
};

export function usePortfolio(query: PortfolioQuery) {
  return useQuery({
    queryKey: portfolioKeys.list(query),
    queryFn: ({ signal }) => api.get<PortfolioResponse>('/api/files', { query: { ...query }, signal }),
    // The rows stay on screen while the next page or search result loads: no flicker while typing.
    placeholderData: keepPreviousData,
  });
}
