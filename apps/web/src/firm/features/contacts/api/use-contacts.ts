import type { Contact, ContactInput, Link } from '@passerelle/contracts/collaboration';
import {
  keepPreviousData,
  type QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api } from '../../../../lib/api';
import { fileKeys } from '../../client-file/api/use-file-dashboard';
import { orgRoleKeys } from '../../organizational-roles/api/use-org-roles';
import { portfolioKeys } from '../../portfolio/api/use-portfolio';

export interface ContactList {
  items: Contact[];
  total: number;
}

export interface ContactListQuery {
  q: string;
  page: number;
  pageSize: number;
}

export const contactKeys = {
  all: ['contacts'] as const,
  list: (query: ContactListQuery) => ['contacts', 'list', query] as const,
  detail: (contactId: string) => ['contacts', 'detail', contactId] as const,
};

export const linkKeys = {
  all: ['links'] as const,
  ofContact: (contactId: string) => ['links', 'contact', contactId] as const,
  ofFile: (fileId: string) => ['links', 'file', fileId] as const,
};

/**
 * A link, a service or a contact changed: every view that counts or lists them is out of date
 * (contact counts in Portefeuille, the file's widget, the contact's files).
 */
export function invalidateCollaboration(queryClient: QueryClient): Promise<unknown> {
  return Promise.all(
    [contactKeys.all, linkKeys.all, portfolioKeys.all, fileKeys.all, orgRoleKeys.all].map((queryKey) =>
      queryClient.invalidateQueries({ queryKey }),
    ),
  );
}

export function useContacts(query: ContactListQuery) {
  return useQuery({
    queryKey: contactKeys.list(query),
    queryFn: ({ signal }) => api.get<ContactList>('/api/contacts', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useContact(contactId: string | null) {
  return useQuery({
    queryKey: contactKeys.detail(contactId ?? ''),
    queryFn: ({ signal }) => api.get<Contact>(`/api/contacts/${contactId}`, { signal }),
    enabled: contactId !== null,
  });
}

export type ContactPayload = Omit<ContactInput, 'civility' | 'phone' | 'orgRoleId'> & {
  civility: 'M.' | 'Mme' | null;
  phone: string | null;
  orgRoleId: string | null;
};

export function useSaveContact(contactId: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ContactPayload) =>
      contactId
        ? api.patch<Contact>(`/api/contacts/${contactId}`, input)
        : api.post<Contact>('/api/contacts', input),
    onSuccess: () => invalidateCollaboration(queryClient),
  });
}

export function useContactLinks(contactId: string | null) {
  return useQuery({
    queryKey: linkKeys.ofContact(contactId ?? ''),
    queryFn: ({ signal }) => api.get<{ items: Link[] }>(`/api/contacts/${contactId}/files`, { signal }),
    enabled: contactId !== null,
  });
}

export function useFileLinks(fileId: string | null) {
  return useQuery({
    queryKey: linkKeys.ofFile(fileId ?? ''),
    queryFn: ({ signal }) => api.get<{ items: Link[] }>(`/api/files/${fileId}/contacts`, { signal }),
    enabled: fileId !== null,
  });
}

/** Clients > Interlocuteurs > Dossiers client > Ajouter: the contact gets a file. */
export function useLinkFile(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fileId: string) => api.post<Link>(`/api/contacts/${contactId}/files`, { fileId }),
    onSuccess: () => invalidateCollaboration(queryClient),
  });
}

/** Portefeuille > Interlocuteur: the file gets an existing contact. */
export function useLinkContact(fileId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (contactId: string) => api.post<Link>(`/api/files/${fileId}/contacts`, { contactId }),
    onSuccess: () => invalidateCollaboration(queryClient),
  });
}

export function useUpdateLink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      contactId: string;
      fileId: string;
      limitedTo?: string[] | null;
      figuresAllowed?: boolean;
    }) => {
      const { contactId, fileId, ...changes } = input;
      return api.patch<Link>(`/api/contacts/${contactId}/files/${fileId}`, changes);
    },
    onSuccess: () => invalidateCollaboration(queryClient),
  });
}

export function useUnlink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { contactId: string; fileId: string }) =>
      api.delete<void>(`/api/contacts/${input.contactId}/files/${input.fileId}`),
    onSuccess: () => invalidateCollaboration(queryClient),
  });
}

export interface ProposedService {
  id: string;
  offerCode: string;
  offerLabel: string;
  state: 'proposee' | 'revoquee';
  proposedAt: string;
}

/** "Proposer un service collaboratif pour ce dossier": the contact receives the access e-mail. */
export function useProposeService() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { contactId: string; fileId: string; offerCode: string }) =>
      api.post<ProposedService>(`/api/contacts/${input.contactId}/files/${input.fileId}/services`, {
        offerCode: input.offerCode,
      }),
    onSuccess: () => invalidateCollaboration(queryClient),
  });
}

export function useRevokeService() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (serviceId: string) => api.post<void>(`/api/services/${serviceId}/revoke`),
    onSuccess: () => invalidateCollaboration(queryClient),
  });
}
