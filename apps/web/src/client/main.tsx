import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from '../i18n/i18n';
import { ClientApp } from './app/client-app';
import { registerServiceWorker } from './pwa/register-service-worker';
import '../styles/base.css';

initI18n();

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from client.html');
createRoot(container).render(
  <StrictMode>
    <ClientApp />
  </StrictMode>,
);

registerServiceWorker();
