import type { FileDashboard } from '@passerelle/contracts/collaboration';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../../lib/api';

export const fileKeys = {
  all: ['files'] as const,
  dashboard: (fileId: string) => ['files', fileId, 'dashboard'] as const,
};

/** The file's identity and its collaborative widget ("vignette collaborative"). */
export function useFileDashboard(fileId: string) {
  return useQuery({
    queryKey: fileKeys.dashboard(fileId),
    queryFn: ({ signal }) => api.get<FileDashboard>(`/api/files/${fileId}/dashboard`, { signal }),
  });
}

/** Initialiser / Activation de l'extension, or "Désactiver l'extension". */
export function useSetCollaborativeWidget(fileId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (active: boolean) =>
      api.put<FileDashboard>(`/api/files/${fileId}/widgets/collaboratif`, { active }),
    onSuccess: (dashboard) => queryClient.setQueryData(fileKeys.dashboard(fileId), dashboard),
  });
}
