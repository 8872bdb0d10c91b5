import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from '../../i18n/i18n';
import { registerServiceWorker } from '../pwa/register-service-worker';
import { ClientApp } from './client-app';

initI18n();

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from client.html');
const root = createRoot(container);
// A transition: the first render yields to the browser every few milliseconds instead of
// holding the main thread for the whole tree.
startTransition(() =>
  root.render(
    <StrictMode>
      <ClientApp />
    </StrictMode>,
  ),
);

registerServiceWorker();
