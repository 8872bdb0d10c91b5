import type { ClientPiece } from '@passerelle/contracts/ged';
import { api } from '../../../../lib/api';
import { dateTimeFormat } from '../../../../lib/intl';
import { type FileOutcome, readOutcome, uploadFile } from '../../../../lib/upload';

export type { ClientPiece };

/** The current month in Paris, as the server counts it ("2026-11"). */
export function currentMonth(now = new Date()): string {
  const parts: Record<string, string> = {};
  for (const part of dateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(now))
    parts[part.type] = part.value;
  return `${parts.year}-${parts.month}`;
}

/** The month's pieces, newest first, a page at a time (`cursor`: the previous page's `nextCursor`). */
export function fetchMonthPieces(fileId: string, month: string, cursor: string | null, signal?: AbortSignal) {
  return api.get<{ items: ClientPiece[]; nextCursor: string | null }>(`/api/client/files/${fileId}/pieces`, {
    query: { month, cursor },
    signal,
  });
}

/** One piece, one request: its own progress and its own result. */
export function depositPiece(
  fileId: string,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<FileOutcome> {
  const options = signal ? { onProgress, signal } : { onProgress };
  return uploadFile(`/api/client/files/${fileId}/pieces`, file, options).then(readOutcome);
}

/** "Déjà déposée le 12/03/2026": the date the server names, to say it in the reader's language. */
export function duplicateDate(outcome: FileOutcome): string | null {
  return /(\d{2}\/\d{2}\/\d{4})/.exec(outcome.message ?? '')?.[1] ?? null;
}
