import type { ErrorBody } from '@passerelle/contracts/errors';
import type {
  FecImport,
  FecImportReport,
  FecImportResult,
  FecRefused,
  FileFigures,
  FiscalYear,
} from '@passerelle/contracts/figures';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, buildUrl } from '../../../../lib/api';
import { fetchSession } from '../../../../lib/session';

export const figuresKeys = {
  file: (fileId: string) => ['files', fileId, 'fec'] as const,
  imports: (fileId: string) => ['files', fileId, 'fec', 'imports'] as const,
  report: (fileId: string, importId: string) => ['files', fileId, 'fec', 'report', importId] as const,
  figures: (fileId: string, fiscalYearEnd: string | undefined) =>
    ['files', fileId, 'fec', 'figures', fiscalYearEnd ?? 'latest'] as const,
};

/** Every import attempt of the file, accepted or refused, latest first. */
export function useFecImports(fileId: string) {
  return useQuery({
    queryKey: figuresKeys.imports(fileId),
    queryFn: ({ signal }) => api.get<{ items: FecImport[] }>(`/api/files/${fileId}/fec-imports`, { signal }),
  });
}

/** One import's full report (journals, issues with their line numbers). */
export function useFecReport(fileId: string, importId: string | null) {
  return useQuery({
    queryKey: figuresKeys.report(fileId, importId ?? ''),
    queryFn: ({ signal }) =>
      api.get<FecImportReport>(`/api/files/${fileId}/fec-imports/${importId}/report`, { signal }),
    enabled: importId !== null,
    // A stored report never changes.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Key figures of a fiscal year (the latest by default) and of the year before it. */
export function useFileFigures(fileId: string, fiscalYearEnd: string | undefined) {
  return useQuery({
    queryKey: figuresKeys.figures(fileId, fiscalYearEnd),
    queryFn: ({ signal }) =>
      api.get<FileFigures>(`/api/files/${fileId}/figures`, { signal, query: { fiscalYearEnd } }),
  });
}

export type FecUploadOutcome =
  | { status: 'accepted'; result: FecImportResult }
  | { status: 'refused'; body: FecRefused['error'] };

export interface FecUploadInput {
  file: File;
  fiscalYear: Partial<FiscalYear>;
  onProgress?: (fraction: number) => void;
}

/**
 * Sends the FEC as multipart with upload progress. `fetch` reports no upload progress, hence
 * XMLHttpRequest here; the CSRF token comes from the session as `lib/api` does.
 */
async function uploadFec(fileId: string, input: FecUploadInput): Promise<FecUploadOutcome> {
  const { csrfToken } = await fetchSession();
  const form = new FormData();
  form.append('file', input.file, input.file.name);
  const url = buildUrl(`/api/files/${fileId}/fec`, {
    fiscalYearStart: input.fiscalYear.start,
    fiscalYearEnd: input.fiscalYear.end,
  });
  return new Promise<FecUploadOutcome>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) input.onProgress?.(event.loaded / event.total);
    });
    xhr.addEventListener('error', () => reject(new ApiError('NETWORK', 'network error', [], 0)));
    xhr.addEventListener('load', () => {
      const body = xhr.response as unknown;
      if (xhr.status === 201) {
        resolve({ status: 'accepted', result: body as FecImportResult });
        return;
      }
      if (xhr.status === 401) {
        window.location.assign(`/auth/login?returnTo=${encodeURIComponent(window.location.pathname)}`);
        return;
      }
      const error = (body as Partial<ErrorBody> | null)?.error;
      if (xhr.status === 422 && error?.code === 'FEC_REFUSED') {
        resolve({ status: 'refused', body: (body as FecRefused).error });
        return;
      }
      reject(
        error
          ? new ApiError(error.code, error.message, error.fields ?? [], xhr.status)
          : new ApiError(
              xhr.status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL',
              xhr.statusText,
              [],
              xhr.status,
            ),
      );
    });
    xhr.send(form);
  });
}

/** Importer un FEC: the history and the figures are read again whatever the outcome. */
export function useUploadFec(fileId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: FecUploadInput) => uploadFec(fileId, input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: figuresKeys.file(fileId) }),
  });
}
