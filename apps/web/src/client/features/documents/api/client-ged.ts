import type {
  ClientGedDocument,
  clientGedFolderSchema,
  clientGedSearchResultSchema,
} from '@passerelle/contracts/ged';
import type { z } from 'zod';
import { api, buildUrl } from '../../../../lib/api';
import { clientGet } from '../../../app/client-get';

export type ClientFolder = z.infer<typeof clientGedFolderSchema>;
export type ClientSearchHit = z.infer<typeof clientGedSearchResultSchema>['items'][number];
export type { ClientGedDocument };

export function fetchFolders(fileId: string, signal: AbortSignal) {
  return clientGet<{ items: ClientFolder[] }>(`/api/client/files/${fileId}/ged/folders`, signal);
}

export function fetchDocuments(folderId: string, cursor: string | null, signal?: AbortSignal) {
  return api.get<{ items: ClientGedDocument[]; nextCursor: string | null }>(
    `/api/client/ged/folders/${folderId}/documents`,
    { query: { cursor }, signal },
  );
}

export function searchDocuments(fileId: string, q: string, signal: AbortSignal) {
  return api.get<{ items: ClientSearchHit[] }>(`/api/client/files/${fileId}/ged/search`, {
    query: { q },
    signal,
  });
}

/** The document's bytes: shown by the browser (PDF, images) or saved. Never cached by the app. */
export function contentUrl(documentId: string, disposition: 'inline' | 'attachment'): string {
  return buildUrl(`/api/client/ged/documents/${documentId}/content`, { disposition });
}

/** What the browser can show by itself; anything else is downloaded. */
export function canPreview(mime: string): boolean {
  return mime === 'application/pdf' || /^image\/(?:png|jpeg|gif|webp)$/.test(mime);
}
