import type { auditEventSchema } from '@passerelle/contracts/collaboration';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, buildUrl } from '../../../../lib/api';

export type AuditEvent = z.infer<typeof auditEventSchema>;
const pageSize = 100;

export const auditKeys = {
  all: ['audit'] as const,
  list: (action: string) => ['audit', 'list', action] as const,
};

/** The firm's audit log, newest first, one page of 100 at a time ("Afficher plus"). */
export function useAuditLog(action: string) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(action),
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: AuditEvent[] }>('/api/audit', {
        query: { action: action || undefined, before: pageParam, limit: pageSize },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) =>
      last.items.length < pageSize ? undefined : last.items[last.items.length - 1]?.at,
    staleTime: 0,
  });
}

/** The same events as a CSV file (the browser downloads it with the session cookie). */
export function auditExportUrl(action: string): string {
  return buildUrl('/api/audit/export.csv', { action: action || undefined });
}
