import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AuditPage } from '../features/audit/components/audit-page';
import { ClientFilePage } from '../features/client-file/components/client-file-page';
import { ContactsPage } from '../features/contacts/components/contacts-page';
import { GedPage } from '../features/ged/components/ged-page';
import { OrganizationalRolesPage } from '../features/organizational-roles/components/organizational-roles-page';
import { PiecesPage } from '../features/pieces/components/pieces-page';
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
              <Route path="audit" element={<AuditPage />} />
            </Route>
            <Route path="dossiers/:id" element={<ClientFilePage />} />
            <Route path="dossiers/:id/ged" element={<GedPage />} />
            <Route path="pieces" element={<PiecesPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
