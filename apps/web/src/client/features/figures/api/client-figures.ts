import type { FileFigures } from '@passerelle/contracts/figures';
import { clientGet } from '../../../app/client-get';

/** The file's key figures for the client dashboard (latest fiscal year and the one before). */
export function fetchClientFigures(fileId: string, signal: AbortSignal): Promise<FileFigures> {
  return clientGet<FileFigures>(`/api/client/files/${fileId}/figures`, signal);
}
