import type { Piece, PiecePage, PieceStatus, PieceUpdate } from '@passerelle/contracts/ged';
import type { PortfolioResponse } from '@passerelle/contracts/portfolio';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../../lib/api';

export type { Piece, PieceStatus };

export interface PieceFilters {
  fileId: string;
  status: PieceStatus | '';
}

export const pieceKeys = {
  all: ['pieces'] as const,
  list: (filters: PieceFilters) => ['pieces', 'list', filters] as const,
};

/** The portfolio's pieces inbox, 50 at a time, oldest waiting first as the server orders them. */
export function usePieces(filters: PieceFilters) {
  return useInfiniteQuery({
    queryKey: pieceKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<PiecePage>('/api/pieces', {
        query: { fileId: filters.fileId, status: filters.status, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 0,
  });
}

/** The files of the portfolio, for the "Dossier" filter. */
export function usePortfolioFiles() {
  return useQuery({
    queryKey: ['portfolio', 'all-files'],
    queryFn: ({ signal }) =>
      api.get<PortfolioResponse>('/api/files', { query: { pageSize: 200, sort: 'code' }, signal }),
    staleTime: 60_000,
  });
}

export function useUpdatePiece() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ pieceId, update }: { pieceId: string; update: PieceUpdate }) =>
      api.patch<Piece>(`/api/pieces/${pieceId}`, update),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: pieceKeys.all }),
  });
}
