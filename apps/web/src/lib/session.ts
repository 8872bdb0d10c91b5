import type { logoutResponseSchema, SessionResponse } from '@passerelle/contracts/session';
import type { z } from 'zod';
import { api, rememberCsrfToken } from './api';

export type StaffSession = Extract<SessionResponse, { kind: 'staff' }>;
export type ClientSession = Extract<SessionResponse, { kind: 'client' }>;
type LogoutResponse = z.infer<typeof logoutResponseSchema>;

export async function fetchSession(signal?: AbortSignal): Promise<SessionResponse> {
  const session = await api.get<SessionResponse>('/api/session', { signal });
  rememberCsrfToken(session.csrfToken);
  return session;
}

/** Ends the session, then leaves for the page the server names (the provider's end-session page). */
export async function logout(): Promise<void> {
  const { redirectTo } = await api.post<LogoutResponse>('/api/auth/logout');
  window.location.assign(redirectTo);
}
