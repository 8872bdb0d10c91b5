import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ClientFilePage } from '../features/client-file/components/client-file-page';
import { ContactsPage } from '../features/contacts/components/contacts-page';
import { OrganizationalRolesPage } from '../features/organizational-roles/components/organizational-roles-page';
import { PortfolioPage } from '../features/portfolio/components/portfolio-page';
import { FirmLayout } from './firm-layout';
import { NotFoundPage } from './not-found-page';
import { createQueryClient } from './query-client';

/** The firm's back office. The server serves firm.html on these paths to signed-in staff only. */
export function FirmApp() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Routes>
          <Route element={<FirmLayout />}>
            <Route index element={<Navigate to="/portefeuille" replace />} />
            <Route path="portefeuille" element={<PortfolioPage />} />
            <Route path="clients">
              <Route index element={<Navigate to="/clients/interlocuteurs" replace />} />
              <Route path="interlocuteurs" element={<ContactsPage />} />
            </Route>
            <Route path="parametres">
              <Route index element={<Navigate to="/parametres/roles" replace />} />
              <Route path="roles" element={<OrganizationalRolesPage />} />
            </Route>
            <Route path="dossiers/:id" element={<ClientFilePage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
