import type { FileDetail, ImportReport } from '@passerelle/contracts/collaboration';
import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../../lib/api';
import { fileKeys } from '../../client-file/api/use-file-dashboard';
import { portfolioKeys } from './use-portfolio';

export interface FilePayload {
  code: string;
  name: string;
  siren: string | null;
  legalForm: string | null;
  fiscalYearEnd: string | null;
  responsibleId: string | null;
}

const refreshFiles = (queryClient: QueryClient) =>
  Promise.all([
    queryClient.invalidateQueries({ queryKey: portfolioKeys.all }),
    queryClient.invalidateQueries({ queryKey: fileKeys.all }),
    // Links carry the file's code, name and active offer.
    queryClient.invalidateQueries({ queryKey: ['links'] }),
  ]);

/** Nouveau dossier (no id) or Modifier. */
export function useSaveFile(fileId: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: FilePayload) =>
      fileId
        ? api.patch<FileDetail>(`/api/files/${fileId}`, input)
        : api.post<FileDetail>('/api/files', input),
    onSuccess: () => refreshFiles(queryClient),
  });
}

/** The "vignette" chosen in the Offre collaborative dialog; null deactivates the file's offer. */
export function useSetFileOffer(fileId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (offerCode: string | null) =>
      api.put<{ offer: { code: string; label: string; activatedAt: string } | null }>(
        `/api/files/${fileId}/offer`,
        {
          offerCode,
        },
      ),
    onSuccess: () => refreshFiles(queryClient),
  });
}

/**
 * The CSV import: `commit: false` reads and checks every line (nothing written); `commit: true`
 * writes all lines or none. The file's bytes go as they are: the server guesses the encoding.
 */
export function useImportFiles() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, commit }: { file: File; commit: boolean }) =>
      api.postRaw<ImportReport>('/api/files/import', file, 'text/csv', { query: { commit } }),
    onSuccess: (report) => (report.committed ? refreshFiles(queryClient) : undefined),
  });
}
