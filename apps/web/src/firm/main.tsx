import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from '../i18n/i18n';
import { FirmApp } from './app/firm-app';
import '../styles/base.css';

initI18n();

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from firm.html');
createRoot(container).render(
  <StrictMode>
    <FirmApp />
  </StrictMode>,
);
