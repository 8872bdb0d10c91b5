import type {
  GedDocument,
  GedDocumentPage,
  GedDocumentUpdate,
  GedFolder,
  GedFolderCreate,
  GedFolderUpdate,
  GedSearchHit,
  GedVersion,
  gedBinItemSchema,
} from '@passerelle/contracts/ged';
import {
  type InfiniteData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type { z } from 'zod';
import { api, buildUrl } from '../../../../lib/api';
import { type FileOutcome, readOutcome, uploadFile } from '../../../../lib/upload';

export type { GedDocument, GedFolder, GedSearchHit, GedVersion };
export type GedBinItem = z.infer<typeof gedBinItemSchema>;

export interface GedSearchFilters {
  q: string;
  folderId: string;
  mime: string;
  from: string;
  to: string;
  fiscalYear: string;
}

export const gedKeys = {
  file: (fileId: string) => ['ged', fileId] as const,
  folders: (fileId: string) => ['ged', fileId, 'folders'] as const,
  documents: (fileId: string, folderId: string) => ['ged', fileId, 'documents', folderId] as const,
  bin: (fileId: string) => ['ged', fileId, 'bin'] as const,
  search: (fileId: string, filters: GedSearchFilters) => ['ged', fileId, 'search', filters] as const,
  versions: (documentId: string) => ['ged', 'versions', documentId] as const,
};

export function useFolders(fileId: string) {
  return useQuery({
    queryKey: gedKeys.folders(fileId),
    queryFn: ({ signal }) => api.get<{ items: GedFolder[] }>(`/api/files/${fileId}/ged/folders`, { signal }),
  });
}

export function useDocuments(fileId: string, folderId: string | null) {
  return useInfiniteQuery({
    queryKey: gedKeys.documents(fileId, folderId ?? ''),
    queryFn: ({ pageParam, signal }) =>
      api.get<GedDocumentPage>(`/api/ged/folders/${folderId}/documents`, {
        query: { cursor: pageParam, limit: 50 },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: folderId !== null,
  });
}

export function useBin(fileId: string, enabled: boolean) {
  return useQuery({
    queryKey: gedKeys.bin(fileId),
    queryFn: ({ signal }) => api.get<{ items: GedBinItem[] }>(`/api/files/${fileId}/ged/bin`, { signal }),
    enabled,
    staleTime: 0,
  });
}

export function useGedSearch(fileId: string, filters: GedSearchFilters) {
  return useQuery({
    queryKey: gedKeys.search(fileId, filters),
    queryFn: ({ signal }) =>
      api.get<{ items: GedSearchHit[] }>(`/api/files/${fileId}/ged/search`, {
        query: { ...filters },
        signal,
      }),
    enabled: filters.q.trim() !== '',
    staleTime: 0,
  });
}

export function useVersions(documentId: string) {
  return useQuery({
    queryKey: gedKeys.versions(documentId),
    queryFn: ({ signal }) =>
      api.get<{ items: GedVersion[] }>(`/api/ged/documents/${documentId}/versions`, { signal }),
    staleTime: 0,
  });
}

/** Every GED change refreshes the file's folders (counts), lists, bin and search. */
function useGedMutation<TVariables, TResult>(
  fileId: string,
  run: (variables: TVariables) => Promise<TResult>,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: gedKeys.file(fileId) }),
  });
}

export function useCreateFolder(fileId: string) {
  return useGedMutation(fileId, (body: GedFolderCreate) =>
    api.post<GedFolder>(`/api/files/${fileId}/ged/folders`, body),
  );
}

export function useUpdateFolder(fileId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ folderId, update }: { folderId: string; update: GedFolderUpdate }) =>
      api.patch<GedFolder>(`/api/ged/folders/${folderId}`, update),
    // The "Visible par le client" switch follows the click at once; a refusal puts it back.
    onMutate: async ({ folderId, update }) => {
      if (update.visibleToClient === undefined) return undefined;
      const key = gedKeys.folders(fileId);
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<{ items: GedFolder[] }>(key);
      if (before)
        queryClient.setQueryData(key, {
          items: before.items.map((folder) =>
            folder.id === folderId
              ? { ...folder, visibleToClient: update.visibleToClient as boolean }
              : folder,
          ),
        });
      return { before };
    },
    onError: (_error, _variables, context) => {
      if (context?.before) queryClient.setQueryData(gedKeys.folders(fileId), context.before);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: gedKeys.file(fileId) }),
  });
}

export function useDeleteFolder(fileId: string) {
  return useGedMutation(fileId, (folderId: string) => api.delete<void>(`/api/ged/folders/${folderId}`));
}

type DocumentPages = InfiniteData<GedDocumentPage, string | undefined>;

export function useUpdateDocument(fileId: string) {
  const queryClient = useQueryClient();
  const documentLists = ['ged', fileId, 'documents'] as const;
  const searches = ['ged', fileId, 'search'] as const;
  return useMutation({
    mutationFn: ({ documentId, update }: { documentId: string; update: GedDocumentUpdate }) =>
      api.patch<GedDocument>(`/api/ged/documents/${documentId}`, update),
    // A document's visibility switch follows the click at once; a refusal puts it back.
    onMutate: async ({ documentId, update }) => {
      if (update.visibleToClient === undefined) return undefined;
      const visibleToClient = update.visibleToClient;
      await queryClient.cancelQueries({ queryKey: documentLists });
      await queryClient.cancelQueries({ queryKey: searches });
      const before = [
        ...queryClient.getQueriesData({ queryKey: documentLists }),
        ...queryClient.getQueriesData({ queryKey: searches }),
      ];
      const flip = <T extends { id: string; visibleToClient: boolean }>(item: T) =>
        item.id === documentId ? { ...item, visibleToClient } : item;
      queryClient.setQueriesData<{ items: GedSearchHit[] }>({ queryKey: searches }, (data) =>
        data ? { ...data, items: data.items.map(flip) } : data,
      );
      queryClient.setQueriesData<DocumentPages>({ queryKey: documentLists }, (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                items: page.items.map(flip),
              })),
            }
          : data,
      );
      return { before };
    },
    onError: (_error, _variables, context) => {
      for (const [key, data] of context?.before ?? []) queryClient.setQueryData(key, data);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: gedKeys.file(fileId) }),
  });
}

export function useDeleteDocument(fileId: string) {
  return useGedMutation(fileId, (documentId: string) => api.delete<void>(`/api/ged/documents/${documentId}`));
}

export function useRestoreDocument(fileId: string) {
  return useGedMutation(fileId, (documentId: string) =>
    api.post<GedDocument>(`/api/ged/documents/${documentId}/restore`),
  );
}

export function useRefreshGed(fileId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: gedKeys.file(fileId) });
}

export function uploadDocument(
  folderId: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<FileOutcome> {
  return uploadFile(`/api/ged/folders/${folderId}/documents`, file, { onProgress }).then(readOutcome);
}

export function uploadVersion(
  documentId: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<FileOutcome> {
  return uploadFile(`/api/ged/documents/${documentId}/versions`, file, { onProgress }).then(readOutcome);
}

export function documentContentUrl(documentId: string, disposition: 'inline' | 'attachment'): string {
  return buildUrl(`/api/ged/documents/${documentId}/content`, { disposition });
}
